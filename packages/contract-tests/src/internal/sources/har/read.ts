/**
 * Reading HAR 1.2 files (browser devtools, Playwright `recordHar`,
 * mitmproxy, Charles, and the validating proxy's own `--har`): the few
 * fields the judge needs, decoded leniently (exporters add their own
 * `_`-fields and leave optional ones out), then each entry judged.
 *
 * HAR 1.2 records DECODED text, `Content-Encoding` kept in the headers
 * (devtools, Playwright and the proxy write it so): text is never decoded a
 * second time. Only a base64 body that is demonstrably still compressed
 * (the format's magic bytes; brotli: not UTF-8 and it decodes) is decoded,
 * bounded by the body limit. Base64 that does not decode is "not judged:
 * undecodable recording", never a violation of the server.
 *
 * @since 0.1.0
 */
import { AccountsApi, Fields } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { CheckName } from "../../judge/checks.js"
import * as ContentCoding from "../../judge/contentCoding.js"
import {
  type Judgement,
  type JudgeOptions,
  judgeDecoded,
  locate,
  normalizeHeaders,
  notDecodedJudgement
} from "../../judge/judge.js"
import type { Secrets } from "../../judge/secrets.js"
import type { TrafficTally } from "../../report/tally.js"

const { optional } = Fields

/** An object of the HAR: failures say `expected an object`, never the Schema's whole type. */
const object = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct(fields).annotations({ title: "an object" })

const array = <S extends Schema.Schema.Any>(item: S) => Schema.Array(item).annotations({ title: "an array" })

const Header = object({ name: Schema.String, value: Schema.String })

/**
 * The parts of a HAR entry that are read.
 *
 * @internal
 */
export const Entry = object({
  // HAR 1.2: a time in ms (negative when unknown) and an integer status (0: no answer). `1e400` parses
  // as Infinity and would reach the JSON report as null ("no answer"): refused as not a HAR instead.
  time: optional(Schema.Number.pipe(Schema.finite())),
  request: object({ method: Schema.String, url: Schema.String, headers: array(Header) }),
  response: object({
    status: Schema.Int,
    headers: array(Header),
    content: object({ text: optional(Schema.String), encoding: optional(Schema.String) })
  }),
  /** Written by the validating proxy: its verdict, for the rules a masked key hides. */
  _postpress: optional(
    object({
      judged: Schema.Boolean,
      findings: array(object({ check: Schema.String, message: Schema.String })),
      /** The coding the proxy could not decode: the body is recorded as sent, and not judged on replay either. */
      notDecoded: optional(Schema.String)
    })
  )
})

/**
 * @internal
 */
export type Entry = typeof Entry.Type

/**
 * A HAR document, as far as it is read.
 *
 * @internal
 */
export const Har = object({
  log: object({ version: optional(Schema.String), entries: array(Entry) })
})

const keyHeader = AccountsApi.apiKeyHeader.toLowerCase()

/** The proxy masks the key as `***`: the reflection rule cannot run again on such an entry. */
const maskedKey = (entry: Entry): boolean =>
  entry.request.headers.some((h) => h.name.toLowerCase() === keyHeader && h.value.includes("***"))

const replayed = (entry: Entry, judgement: Judgement): Judgement => {
  const recorded = (entry._postpress?.findings ?? []).filter((f) => f.check === "key_not_reflected")
  if (recorded.length === 0 || !maskedKey(entry)) return judgement
  const check: CheckName = "key_not_reflected"
  return {
    ...judgement,
    evaluated: judgement.evaluated.includes(check) ? judgement.evaluated : [...judgement.evaluated, check],
    findings: [
      ...judgement.findings,
      ...recorded.map((f) => ({ check, message: `${f.message} (recorded by the proxy)`, issues: [] }))
    ]
  }
}

const pairs = (headers: ReadonlyArray<{ readonly name: string; readonly value: string }>) =>
  headers.map((h) => [h.name, h.value] as const)

/** The decoded size of a body as recorded, without decoding it. */
const recordedSize = (text: string, base64: boolean): number =>
  base64 ? Math.floor((text.replace(/=+$/, "").length * 3) / 4) : Buffer.byteLength(text, "utf8")

// Standard or URL-safe alphabet, padding only at the end; line breaks some exporters insert are allowed.
const base64Text = /^[A-Za-z0-9+/\-_]*={0,2}$/

/** Why recorded text is not the bytes it claims to be, if it is not (`Buffer.from` never says). */
const recordingProblem = (text: string, encoding: string | undefined): string | undefined => {
  if (encoding === undefined || encoding === "") return undefined
  if (encoding.toLowerCase() !== "base64")
    return `content.encoding ${JSON.stringify(encoding.slice(0, 40))} is not base64`
  const compact = text.replace(/\s+/g, "")
  return base64Text.test(compact) && compact.length % 4 !== 1 && (!compact.includes("=") || compact.length % 4 === 0)
    ? undefined
    : "base64 text that does not decode"
}

/**
 * Judges one entry into the tally; the entry's keys join `secrets` first, so
 * nothing it carries reaches a report unmasked. Decoding a still-compressed
 * base64 body runs on zlib's thread pool.
 *
 * @internal
 */
export const judgeEntry = (
  entry: Entry,
  tally: TrafficTally,
  secrets: Secrets,
  options: JudgeOptions & { readonly maxBodyBytes: number }
): Effect.Effect<void> => {
  const latencyMs = entry.time !== undefined && entry.time >= 0 ? entry.time : 0
  const { request, response } = entry
  const pairsOf = pairs(request.headers)
  const entrySecrets = secrets.addRequest(pairsOf.flat(), request.url)
  // Devtools record blocked or failed requests with status 0: no answer came.
  if (response.status === 0) return Effect.sync(() => tally.notJudged("unreachable", null, latencyMs))
  const where = locate(request.method, request.url, options.baseUrl)
  if (where._tag === "Other") {
    return Effect.sync(() =>
      where.kind === "origin"
        ? tally.notJudged("outside_base_url", response.status, latencyMs, { origin: where.origin })
        : tally.notJudged("not_operation", response.status, latencyMs)
    )
  }
  const text = response.content.text
  if (text === undefined)
    return Effect.sync(() => tally.notJudged("no_body", response.status, latencyMs, { answer: true }))
  const problem = recordingProblem(text, response.content.encoding)
  if (problem !== undefined) {
    return Effect.sync(() =>
      tally.notJudged("undecodable_recording", response.status, latencyMs, { seen: problem, answer: true })
    )
  }
  const base64 = response.content.encoding !== undefined && response.content.encoding !== ""
  const size = recordedSize(text, base64)
  if (size > options.maxBodyBytes) {
    return Effect.sync(() => tally.notJudged("over_limit", response.status, latencyMs, { bytes: size, answer: true }))
  }
  const notDecoded = entry._postpress?.notDecoded
  if (notDecoded !== undefined) {
    return Effect.sync(() =>
      tally.notJudged("undecodable", response.status, latencyMs, { seen: notDecoded, answer: true })
    )
  }
  const headers = pairs(response.headers)
  const observe = (body: string, judgement: Judgement) =>
    tally.record(
      { url: request.url, status: response.status, body, latencyMs, secrets: entrySecrets },
      replayed(entry, judgement)
    )
  const judgeText = (body: string) =>
    observe(
      body,
      judgeDecoded(
        where.id,
        {
          request: { method: request.method, url: request.url, headers: pairsOf },
          response: { status: response.status, headers, body }
        },
        {
          baseUrl: options.baseUrl,
          strict: options.strict,
          apiKey: options.apiKey,
          secrets: entrySecrets,
          unknownTypes: options.unknownTypes
        }
      )
    )
  // Text is decoded already (HAR 1.2): whatever Content-Encoding says, it is judged as it is.
  if (!base64) return Effect.sync(() => judgeText(text))
  const bytes = Buffer.from(text, "base64")
  const contentEncoding = normalizeHeaders(headers)["content-encoding"]
  return ContentCoding.decode(bytes, contentEncoding, { coding: "detect", maxBytes: options.maxBodyBytes }).pipe(
    Effect.match({
      onFailure: (error) => observe("", notDecodedJudgement(where.id, error)),
      onSuccess: (decoded) =>
        judgeText(Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength).toString("utf8"))
    })
  )
}
