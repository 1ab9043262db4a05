/**
 * The ONE rule engine: judges one observed exchange (request + response)
 * against the contract. The contract suite, the validating proxy and the HAR
 * reader all call {@link judge}; the individual rules live in `validate.ts`
 * beside this file and nowhere else. A compressed body is judged on its
 * decoded bytes (`contentCoding.ts`), and an answer that is not the API's
 * (`ResponseRules.notTheApi`) is not judged at all.
 *
 * @since 0.1.0
 */
import {
  Account,
  AccountDecoder,
  AccountsApi,
  BodyLimit,
  DecodeIssue,
  ErrorCatalogue,
  Redaction,
  ResponseRules
} from "@postpress/schema"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import type { CheckName } from "./checks.js"
import * as ContentCoding from "./contentCoding.js"
import { type HeadersLike, locate, normalizeHeaders } from "./location.js"
import {
  keyNotReflected,
  NotJson,
  parseJson,
  type Received,
  successStatus,
  transientStatuses,
  type Violation,
  validateResponse
} from "./validate.js"

export { type HeadersLike, type Location, locate, normalizeHeaders, originOf } from "./location.js"

/**
 * One observed exchange.
 *
 * @since 0.1.0
 * @category models
 */
export interface Exchange {
  readonly request: {
    readonly method: string
    /** An absolute URL, or the raw request target as sent (`/api/v1/accounts/acc_1?x=1`). */
    readonly url: string | URL
    readonly headers: HeadersLike
  }
  readonly response: {
    readonly status: number
    readonly headers: HeadersLike
    /** The body bytes as received (a string is taken as its UTF-8 text, already decoded). */
    readonly body: Uint8Array | string
    /**
     * How `body` relates to the answer's `Content-Encoding` (see
     * `ContentCoding.BodyCoding`): `"as-sent"` (wire bytes: every coding is
     * decoded), `"decoded"` (fetch and browsers decode and keep the header),
     * or `"detect"`, the default: decoded only where the bytes are
     * demonstrably still compressed.
     */
    readonly coding?: ContentCoding.BodyCoding | undefined
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface JudgeOptions {
  /** The API's base URL (e.g. `https://api.postpress.ai/api`); without it any path ending in `/v1/accounts/{id}` is judged. */
  readonly baseUrl?: string | undefined
  /** Reject fields the spec does not define (default: accept and report them as drift). */
  readonly strict?: boolean | undefined
  /** The key to look for in responses (besides the request's own key) and to mask in every message. */
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /**
   * More secrets to look for and mask: every key the request carried (each
   * repeat of `X-API-KEY`, key-like query values), as the proxy collects them.
   */
  readonly secrets?: ReadonlyArray<string> | undefined
  /** A body larger than this once decoded is not judged (default `BodyLimit.defaultMaxBytes`, 16 MiB). */
  readonly maxBodyBytes?: number | undefined
  /** A `type` none of the 14 (`"linkedin"` too): a `response_schema` violation (`"fail"`, default) or drift (`"keep"`). */
  readonly unknownTypes?: AccountDecoder.UnknownTypes | undefined
}

/**
 * Why a body was not judged although it came: its coding could not be
 * decoded (`cannot decode zstd (...)`), or it is over the body limit once
 * decoded.
 *
 * @since 0.1.0
 * @category models
 */
export interface NotDecoded {
  readonly overLimit: boolean
  /** The coding as listed (escaped). */
  readonly coding: string
  /** `cannot decode br (unexpected end of file)`, `body over the 16 MiB limit once decoded (gzip)`. */
  readonly reason: string
}

/**
 * One broken rule.
 *
 * @since 0.1.0
 * @category models
 */
export type Finding = Violation

/**
 * The verdict on one exchange.
 *
 * @since 0.1.0
 * @category models
 */
export interface Judgement {
  /**
   * `false` when the exchange is not `GET {base}/v1/accounts/{one segment}`
   * (nothing else is set then), when its answer is not the API's
   * (`notTheApi`), or when its body could not be decoded (`notDecoded`).
   */
  readonly judged: boolean
  /** Why an exchange was not judged. */
  readonly reason?: string
  /**
   * Set when the answer did not come from the API (a cache answer, a partial
   * answer, a gateway page: `ResponseRules.notTheApi`); `judged` is `false`
   * then, `reason` is its phrase and `accountId` the id requested.
   */
  readonly notTheApi?: ResponseRules.NotTheApi
  /** Set when the body could not be decoded; `judged` is `false` then and `reason` is its phrase. */
  readonly notDecoded?: NotDecoded
  /** The account id as requested (the segment, percent-decoded). */
  readonly accountId?: string
  /** Which key the request carried, compared with `options.apiKey` when given. */
  readonly credentials?: "valid" | "missing" | "invalid"
  /** The checks that applied to this exchange (a finding's check is always among them). */
  readonly evaluated: ReadonlyArray<CheckName>
  /** Broken rules; messages and issues have the key masked. */
  readonly findings: ReadonlyArray<Finding>
  /** The account `type` of a 200 that decoded. */
  readonly accountType?: string
  /** Non-strict only: fields of a decoded 200 the spec does not define (`connection_params.im.new_flag`, items as `[]`). */
  readonly unknownFields: ReadonlyArray<string>
  /** With `unknownTypes: "keep"`: the `type` of a 200 that decoded as an account of a type none of the 14 (drift). */
  readonly unknownType?: string
}

/**
 * Keys shorter than this could appear in any body by chance: they are not
 * looked for.
 *
 * @since 0.1.0
 * @category constants
 */
export const MIN_KEY_LENGTH = 8

/**
 * 429: throttling, not the API's answer; only a leaked key is a finding in it.
 *
 * @since 0.1.0
 * @category constants
 */
export const throttledStatus = 429

const keyHeader = AccountsApi.apiKeyHeader.toLowerCase()
const missingCredentialsType = "errors/missing_credentials" satisfies ErrorCatalogue.ErrorType
const missingCredentialsStatus = ErrorCatalogue.lookup(missingCredentialsType)!.status

const utf8 = new TextDecoder()

/**
 * `a.b[].c`: drift paths name a field, not one occurrence of it.
 *
 * @since 0.1.0
 * @category drift
 */
export const driftPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += "[]"
    else out += out === "" ? String(key) : `.${String(key)}`
  }
  return out
}

/**
 * The fields of a body the `Account` schema does not define, read from the
 * strict decode's `Unexpected` issues as Effect's ArrayFormatter lists them
 * (so the schema is the only field list).
 *
 * @since 0.1.0
 * @category drift
 */
export const unknownFieldsOf = (json: unknown): ReadonlyArray<string> => {
  const result = AccountDecoder.decodeStrictEither(json)
  if (Either.isRight(result)) return []
  const paths = DecodeIssue.unexpectedPaths(result.left).map(driftPath)
  return [...new Set(paths)]
}

const field = (json: unknown, key: string): unknown =>
  typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)[key] : undefined

/**
 * `known_accounts` (as an exchange rule): a 200 names the id as requested.
 *
 * @since 0.1.0
 * @category rules
 */
export const bodyIdMatches = (id: string, json: unknown): Finding | undefined => {
  const found = ResponseRules.accountId(id, json)
  return found === undefined ? undefined : { check: "known_accounts", message: found.message, issues: found.issues }
}

/**
 * `missing_credentials` (as an exchange rule): without a key the answer is a
 * 401 `errors/missing_credentials`.
 *
 * @since 0.1.0
 * @category rules
 */
export const missingKeyAnswered = (status: number, json: unknown): Finding | undefined => {
  const type = field(json, "type")
  const got = `${status}${typeof type === "string" ? ` ${type}` : json === NotJson ? " (not JSON)" : ""}`
  if (status !== missingCredentialsStatus) {
    return { check: "missing_credentials", message: `expected ${missingCredentialsStatus}, got ${got}`, issues: [] }
  }
  if (type === missingCredentialsType) return undefined
  return {
    check: "missing_credentials",
    message: `expected a ${missingCredentialsStatus} with type ${missingCredentialsType}, got ${got}`,
    issues: [
      `type: expected ${missingCredentialsType}, got ${typeof type === "string" ? JSON.stringify(type) : "none"}`
    ]
  }
}

const notJudged = (reason: string): Judgement => ({
  judged: false,
  reason,
  evaluated: [],
  findings: [],
  unknownFields: []
})

const isError = (status: number) => status < 200 || status > 299

/**
 * Judges a response already parsed, for callers that know the id (the suite).
 *
 * @since 0.1.0
 * @category judging
 */
export const judgeReceived = (
  id: string,
  requestKey: string | undefined,
  received: Received,
  json: unknown,
  options: JudgeOptions,
  /** The request's headers, lower-cased (a 304 or 206 is read with the request that asked for it). */
  requestHeaders?: Readonly<Record<string, string | undefined>>
): Judgement => {
  // Not the API's answer (a cache answer, a gateway page): no rule of the API judges it.
  const notTheApi = ResponseRules.notTheApi({
    status: received.status,
    contentType: received.headers["content-type"],
    json,
    requestHeaders
  })
  if (notTheApi !== undefined) {
    return { ...notJudged(notTheApi.reason), accountId: id, notTheApi }
  }
  const strict = options.strict === true
  const configured = options.apiKey === undefined ? undefined : Redacted.value(options.apiKey)
  const keys = [...new Set([configured, requestKey, ...(options.secrets ?? [])])].filter(
    (key): key is string => key !== undefined && key.length >= MIN_KEY_LENGTH
  )
  // One pass over every key at once: two keys sharing a prefix are both masked whole.
  const mask = (text: string) => Redaction.scrub(text, keys)
  const credentials =
    requestKey === undefined ? "missing" : configured === undefined || requestKey === configured ? "valid" : "invalid"
  if (received.status === throttledStatus) {
    const leaks = keys.flatMap((key) => keyNotReflected(received, key)).slice(0, 1)
    return {
      judged: true,
      accountId: id,
      credentials,
      evaluated: keys.length > 0 ? ["key_not_reflected"] : [],
      findings: leaks.map((f) => ({ check: f.check, message: mask(f.message), issues: f.issues.map(mask) })),
      unknownFields: []
    }
  }
  const evaluated: Array<CheckName> = []
  if (received.status === successStatus) evaluated.push("response_schema", "known_accounts")
  if (isError(received.status)) evaluated.push("error_envelope")
  evaluated.push("status_code", "content_type", "not_a_server_error")
  if (keys.length > 0) evaluated.push("key_not_reflected")
  const unknownTypes = options.unknownTypes ?? "fail"
  const findings: Array<Finding> = [...validateResponse(received, json, { strict, apiKey: keys[0], unknownTypes })]
  // A second key (the request's own, when it is not the configured one) is looked for too.
  if (!findings.some((f) => f.check === "key_not_reflected")) {
    findings.push(
      ...keys
        .slice(1)
        .flatMap((key) => keyNotReflected(received, key))
        .slice(0, 1)
    )
  }
  let accountType: string | undefined
  let unknownType: string | undefined
  let unknownFields: ReadonlyArray<string> = []
  if (received.status === successStatus) {
    const sameId = bodyIdMatches(id, json)
    if (sameId !== undefined) findings.push(sameId)
    if (!findings.some((f) => f.check === "response_schema")) {
      const type = field(json, "type")
      // Only a kept unknown type decodes with a type none of the 14: drift, never a type seen.
      if (Account.isUnknownType(type)) unknownType = type
      else if (typeof type === "string") accountType = type
      if (!strict && unknownType === undefined) unknownFields = unknownFieldsOf(json)
    }
  }
  if (requestKey === undefined && !transientStatuses.has(received.status)) {
    evaluated.push("missing_credentials")
    const answered = missingKeyAnswered(received.status, json)
    if (answered !== undefined) findings.push(answered)
  }
  return {
    judged: true,
    accountId: id,
    credentials,
    evaluated,
    findings: findings.map((f) => ({ check: f.check, message: mask(f.message), issues: f.issues.map(mask) })),
    ...(accountType === undefined ? {} : { accountType }),
    ...(unknownType === undefined ? {} : { unknownType: mask(unknownType) }),
    unknownFields
  }
}

/**
 * The judgement of an exchange whose body could not be decoded: not judged,
 * with the decoder's reason (never "not JSON": an encoding is not the API).
 *
 * @since 0.1.0
 * @category judging
 */
export const notDecodedJudgement = (id: string, error: ContentCoding.Undecodable): Judgement => ({
  ...notJudged(error.message),
  accountId: id,
  notDecoded: { overLimit: error._tag === "DecodedOverLimit", coding: error.coding, reason: error.message }
})

/**
 * Judges one exchange whose body is decoded already (as text): the proxy and
 * the HAR reader decode off the event loop first, then call this.
 *
 * @since 0.1.0
 * @category judging
 */
export const judgeDecoded = (
  id: string,
  exchange: Exchange & { readonly response: { readonly body: string } },
  options: JudgeOptions
): Judgement => {
  const requestHeaders = normalizeHeaders(exchange.request.headers)
  const headers = normalizeHeaders(exchange.response.headers)
  const body = exchange.response.body
  const received: Received = { status: exchange.response.status, headers, body }
  return judgeReceived(id, requestHeaders[keyHeader], received, parseJson(body), options, requestHeaders)
}

/**
 * Judges one exchange. Exchanges other than `GET {base}/v1/accounts/{one
 * segment}` are not judged (`judged: false`, with a reason). A body with a
 * `Content-Encoding` is decoded first (on this thread; see
 * {@link Exchange}'s `coding`), bounded by `maxBodyBytes`.
 *
 * @since 0.1.0
 * @category judging
 */
export const judge = (exchange: Exchange, options: JudgeOptions = {}): Judgement => {
  const where = locate(exchange.request.method, exchange.request.url, options.baseUrl)
  if (where._tag === "Other") return notJudged(where.reason)
  const { body } = exchange.response
  if (typeof body === "string")
    return judgeDecoded(where.id, { ...exchange, response: { ...exchange.response, body } }, options)
  const contentEncoding = normalizeHeaders(exchange.response.headers)["content-encoding"]
  const decoded = ContentCoding.decodeSync(body, contentEncoding, {
    coding: exchange.response.coding ?? "detect",
    maxBytes: options.maxBodyBytes ?? BodyLimit.defaultMaxBytes
  })
  if (Either.isLeft(decoded)) return notDecodedJudgement(where.id, decoded.left)
  const text = utf8.decode(decoded.right)
  return judgeDecoded(where.id, { ...exchange, response: { ...exchange.response, body: text } }, options)
}
