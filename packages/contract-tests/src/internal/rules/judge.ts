/**
 * The ONE rule engine: judges one observed exchange (request + response)
 * against the contract. The contract suite, the validating proxy and the HAR
 * reader all call {@link judge}; the individual rules live in `validate.ts`
 * beside this file and nowhere else.
 *
 * @since 0.1.0
 */
import { AccountDecoder, AccountsApi, DecodeIssue, ErrorCatalogue, Redaction, ResponseRules } from "@postpress/schema"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import type { CheckName } from "../../ContractCheck.js"
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

/**
 * Request or response headers in any of the usual shapes: a plain object
 * (`node:http` style, values may be arrays), a fetch `Headers`, or pairs.
 *
 * @since 0.1.0
 * @category models
 */
export type HeadersLike =
  | Readonly<Record<string, string | ReadonlyArray<string> | number | undefined>>
  | Iterable<readonly [string, string]>

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
    /** The body bytes as received (a string is taken as its UTF-8 text). */
    readonly body: Uint8Array | string
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
  /** `false` when the exchange is not `GET {base}/v1/accounts/{one segment}`; nothing else is set then. */
  readonly judged: boolean
  /** Why an exchange was not judged. */
  readonly reason?: string
  /**
   * Set when the answer did not come from the API (a cache answer, a partial
   * answer, a gateway page: `ResponseRules.notTheApi`); `judged` is `false`
   * then, `reason` is its phrase and `accountId` the id requested.
   */
  readonly notTheApi?: ResponseRules.NotTheApi
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
// `/v1/accounts/{id}` → `/v1/accounts/`, derived so a path change in the contract follows.
const operationPrefix = AccountsApi.pathTemplate.slice(0, AccountsApi.pathTemplate.indexOf("{"))
const missingCredentialsType = "errors/missing_credentials" satisfies ErrorCatalogue.ErrorType
const missingCredentialsStatus = ErrorCatalogue.lookup(missingCredentialsType)!.status

/**
 * Lower-cased headers, repeated values joined with `, `.
 *
 * @since 0.1.0
 * @category parsing
 */
export const normalizeHeaders = (headers: HeadersLike): Record<string, string> => {
  const out: Record<string, string> = {}
  const add = (name: string, value: string) => {
    const key = name.toLowerCase()
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`
  }
  if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, string]>) add(name, value)
    return out
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const v of value) add(name, String(v))
    else add(name, String(value))
  }
  return out
}

/** The path part of a URL or raw target, as sent (no normalisation, no decoding). */
const rawPath = (url: string): string => {
  let rest = url
  const scheme = rest.indexOf("://")
  if (scheme !== -1 && !rest.startsWith("/")) {
    const slash = rest.indexOf("/", scheme + 3)
    rest = slash === -1 ? "/" : rest.slice(slash)
  }
  const end = rest.search(/[?#]/)
  return end === -1 ? rest : rest.slice(0, end)
}

/**
 * The origin of an absolute URL by URL semantics (scheme and host
 * lower-cased, default ports dropped: `https://API.example.com:443` is
 * `https://api.example.com`); `undefined` for a raw target (`/api/...`) or
 * text that is not a URL.
 *
 * @since 0.1.0
 * @category parsing
 */
export const originOf = (url: string): string | undefined => {
  if (url.startsWith("/") || !url.includes("://")) return undefined
  try {
    const origin = new URL(url).origin
    return origin === "null" ? undefined : origin
  } catch {
    return undefined
  }
}

// The base URL is the same for a whole session: parse its origin once, not per exchange.
let lastBase: { readonly url: string; readonly origin: string | undefined } | undefined
const baseOrigin = (baseUrl: string): string | undefined => {
  if (lastBase?.url !== baseUrl) lastBase = { url: baseUrl, origin: originOf(baseUrl) }
  return lastBase.origin
}

/**
 * What {@link locate} found: the operation's id, or why an exchange is not
 * the operation (`method`, `path`, or `origin`: outside the base URL).
 *
 * @since 0.1.0
 * @category models
 */
export type Location =
  | { readonly _tag: "Account"; readonly id: string }
  | {
      readonly _tag: "Other"
      readonly kind: "method" | "path" | "origin"
      readonly reason: string
      /** The origin seen, when it is outside the base URL. */
      readonly origin?: string
    }

/**
 * Where the account id sits: the id of a `GET {base}/v1/accounts/{one segment}`
 * request, or why the exchange is not one. Origins are compared by URL
 * semantics ({@link originOf}), never as string prefixes; the path is
 * compared as sent.
 *
 * @since 0.1.0
 * @category parsing
 */
export const locate = (method: string, url: string | URL, baseUrl: string | undefined): Location => {
  const text = typeof url === "string" ? url : url.href
  if (method.toUpperCase() !== "GET") {
    return { _tag: "Other", kind: "method", reason: `${method.toUpperCase()} is not the operation` }
  }
  const path = rawPath(text)
  let rest: string
  if (baseUrl === undefined) {
    const at = path.lastIndexOf(operationPrefix)
    if (at === -1) return { _tag: "Other", kind: "path", reason: "not an account path" }
    rest = path.slice(at + operationPrefix.length)
  } else {
    const origin = originOf(text)
    if (origin !== undefined && origin !== baseOrigin(baseUrl)) {
      return { _tag: "Other", kind: "origin", reason: "another host", origin }
    }
    const prefix = `${rawPath(baseUrl).replace(/\/+$/, "")}${operationPrefix}`
    if (!path.startsWith(prefix)) {
      return { _tag: "Other", kind: "path", reason: "not an account path under the base URL" }
    }
    rest = path.slice(prefix.length)
  }
  if (rest === "" || rest.includes("/")) {
    return { _tag: "Other", kind: "path", reason: "not one path segment after /v1/accounts/" }
  }
  try {
    return { _tag: "Account", id: decodeURIComponent(rest) }
  } catch {
    return { _tag: "Other", kind: "path", reason: "the id segment is not valid percent-encoding" }
  }
}

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
  const findings: Array<Finding> = [...validateResponse(received, json, { strict, apiKey: keys[0] })]
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
  let unknownFields: ReadonlyArray<string> = []
  if (received.status === successStatus) {
    const sameId = bodyIdMatches(id, json)
    if (sameId !== undefined) findings.push(sameId)
    if (!findings.some((f) => f.check === "response_schema")) {
      const type = field(json, "type")
      if (typeof type === "string") accountType = type
      if (!strict) unknownFields = unknownFieldsOf(json)
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
    unknownFields
  }
}

/**
 * Judges one exchange. Exchanges other than `GET {base}/v1/accounts/{one
 * segment}` are not judged (`judged: false`, with a reason).
 *
 * @since 0.1.0
 * @category judging
 */
export const judge = (exchange: Exchange, options: JudgeOptions = {}): Judgement => {
  const where = locate(exchange.request.method, exchange.request.url, options.baseUrl)
  if (where._tag === "Other") return notJudged(where.reason)
  const requestHeaders = normalizeHeaders(exchange.request.headers)
  const headers = normalizeHeaders(exchange.response.headers)
  const body = typeof exchange.response.body === "string" ? exchange.response.body : utf8.decode(exchange.response.body)
  const received: Received = { status: exchange.response.status, headers, body }
  return judgeReceived(where.id, requestHeaders[keyHeader], received, parseJson(body), options, requestHeaders)
}
