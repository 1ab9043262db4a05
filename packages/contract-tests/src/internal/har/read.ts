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

/**
 * Judges one entry into the tally.
 *
 * @internal
 */
export const judgeEntry = (entry: Entry, tally: TrafficTally, options: JudgeOptions): void => {
  const latencyMs = entry.time !== undefined && entry.time >= 0 ? entry.time : 0
  const { request, response } = entry
  // Devtools record blocked or failed requests with status 0: no answer came.
  if (response.status === 0) {
    tally.transportFailure(latencyMs)
    return
  }
  if (options.baseUrl !== undefined && !request.url.startsWith(options.baseUrl.replace(/\/+$/, ""))) {
    tally.notJudged(response.status, latencyMs, false)
    return
  }
  const isOperation = locate(request.method, request.url, options.baseUrl)._tag === "Account"
  const text = response.content.text
  if (!isOperation || text === undefined) {
    tally.notJudged(response.status, latencyMs, isOperation)
    return
  }
  const body = response.content.encoding === "base64" ? Buffer.from(text, "base64") : text
  const judgement = judge(
    {
      request: { method: request.method, url: request.url, headers: pairs(request.headers) },
      response: { status: response.status, headers: pairs(response.headers), body }
    },
    options
  )
  if (!judgement.judged) {
    tally.notJudged(response.status, latencyMs, false)
    return
  }
  tally.judged(
    {
      url: request.url,
      status: response.status,
      body: typeof body === "string" ? body : body.toString("utf8"),
      latencyMs
    },
    replayed(entry, judgement)
  )
}
