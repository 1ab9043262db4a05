/**
 * Reading HAR 1.2 files (browser devtools, Playwright `recordHar`,
 * mitmproxy, Charles, and the validating proxy's own `--har`): the few
 * fields the judge needs, decoded leniently (exporters add their own
 * `_`-fields and leave optional ones out), then each entry judged.
 *
 * @since 0.1.0
 */
import { AccountsApi, Fields } from "@postpress/schema"
import * as Schema from "effect/Schema"
import type { CheckName } from "../../ContractCheck.js"
import type { Secrets } from "../proxy/secrets.js"
import { type Judgement, type JudgeOptions, judge, locate } from "../rules/judge.js"
import type { TrafficTally } from "../rules/traffic.js"

const { optional } = Fields

const Header = Schema.Struct({ name: Schema.String, value: Schema.String })

/**
 * The parts of a HAR entry that are read.
 *
 * @internal
 */
export const Entry = Schema.Struct({
  time: optional(Schema.Number),
  request: Schema.Struct({ method: Schema.String, url: Schema.String, headers: Schema.Array(Header) }),
  response: Schema.Struct({
    status: Schema.Number,
    headers: Schema.Array(Header),
    content: Schema.Struct({ text: optional(Schema.String), encoding: optional(Schema.String) })
  }),
  /** Written by the validating proxy: its verdict, for the rules a masked key hides. */
  _postpress: optional(
    Schema.Struct({
      judged: Schema.Boolean,
      findings: Schema.Array(Schema.Struct({ check: Schema.String, message: Schema.String }))
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
export const Har = Schema.Struct({
  log: Schema.Struct({ version: optional(Schema.String), entries: Schema.Array(Entry) })
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

/**
 * Judges one entry into the tally; the entry's keys join `secrets` first, so
 * nothing it carries reaches a report unmasked.
 *
 * @internal
 */
export const judgeEntry = (
  entry: Entry,
  tally: TrafficTally,
  secrets: Secrets,
  options: JudgeOptions & { readonly maxBodyBytes: number }
): void => {
  const latencyMs = entry.time !== undefined && entry.time >= 0 ? entry.time : 0
  const { request, response } = entry
  const pairsOf = pairs(request.headers)
  const entrySecrets = secrets.addRequest(pairsOf.flat(), request.url)
  // Devtools record blocked or failed requests with status 0: no answer came.
  if (response.status === 0) {
    tally.notJudged("unreachable", null, latencyMs)
    return
  }
  const where = locate(request.method, request.url, options.baseUrl)
  if (where._tag === "Other") {
    if (where.kind === "origin")
      tally.notJudged("outside_base_url", response.status, latencyMs, { origin: where.origin })
    else tally.notJudged("not_operation", response.status, latencyMs)
    return
  }
  const text = response.content.text
  if (text === undefined) {
    tally.notJudged("no_body", response.status, latencyMs)
    return
  }
  const base64 = response.content.encoding === "base64"
  const size = recordedSize(text, base64)
  if (size > options.maxBodyBytes) {
    tally.notJudged("over_limit", response.status, latencyMs, { bytes: size })
    return
  }
  const body = base64 ? Buffer.from(text, "base64") : text
  const judgement = judge(
    {
      request: { method: request.method, url: request.url, headers: pairsOf },
      response: { status: response.status, headers: pairs(response.headers), body }
    },
    { baseUrl: options.baseUrl, strict: options.strict, apiKey: options.apiKey, secrets: entrySecrets }
  )
  if (!judgement.judged) {
    tally.notJudged("not_operation", response.status, latencyMs)
    return
  }
  tally.judged(
    {
      url: request.url,
      status: response.status,
      body: typeof body === "string" ? body : body.toString("utf8"),
      latencyMs,
      secrets: entrySecrets
    },
    replayed(entry, judgement)
  )
}
