/**
 * The response rules: pure functions from one response to its violations.
 * They never look at which scenario sent the request, so a retried 503 or a
 * hostile-id 404 is judged exactly like any other response.
 *
 * @since 0.1.0
 */
import { AccountDecoder, ApiError, DecodeIssue, ErrorCatalogue, ErrorEnvelope } from "@postpress/schema"
import * as Either from "effect/Either"
import type { CheckName } from "../../ContractCheck.js"

/**
 * One broken rule found in a response.
 *
 * @since 0.1.0
 * @category models
 */
export interface Violation {
  readonly check: CheckName
  readonly message: string
  readonly issues: ReadonlyArray<string>
}

/**
 * The parts of a response the checks read.
 *
 * @since 0.1.0
 * @category models
 */
export interface Received {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * Marks a body that is not JSON.
 *
 * @since 0.1.0
 * @category constants
 */
export const NotJson: unique symbol = Symbol.for("@postpress/contract-tests/NotJson")

/**
 * Parses a body once; {@link NotJson} when it is not JSON.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body)
  } catch {
    return NotJson
  }
}

/**
 * The only success status of the operation (the `HttpApi` contract's
 * default success status).
 *
 * @since 0.1.0
 * @category constants
 */
export const successStatus = 200

const documentedStatuses: ReadonlySet<number> = new Set([successStatus, ...ErrorCatalogue.errorStatuses])

/**
 * Statuses that mean "try again later"; they are retried and never fail a
 * scenario by themselves.
 *
 * @since 0.1.0
 * @category constants
 */
export const transientStatuses: ReadonlySet<number> = new Set([
  ApiError.ServiceUnavailable.status,
  ApiError.GatewayTimeout.status
])

// The schema package's decoders: a compiled fast path for conformant bodies,
// Effect's full decode (and its precise issue paths) for the rest; error
// bodies go through the schema package's one envelope check.
const decodeAccount = AccountDecoder.decodeEither
const decodeAccountStrict = AccountDecoder.decodeStrictEither

const mediaType = (headers: Readonly<Record<string, string>>): string | undefined =>
  headers["content-type"]?.split(";")[0]?.trim().toLowerCase()

const v = (check: CheckName, message: string, issues: ReadonlyArray<string> = []): Violation => ({
  check,
  message,
  issues
})

const issuesOf = (error: Parameters<typeof DecodeIssue.fromParseError>[0]): ReadonlyArray<string> =>
  DecodeIssue.fromParseError(error).map(DecodeIssue.formatIssue)

/**
 * `response_schema`: a 200 body decodes as `Account`.
 *
 * @since 0.1.0
 * @category checks
 */
export const responseSchema = (json: unknown, isStrict: boolean): ReadonlyArray<Violation> => {
  if (json === NotJson) return [v("response_schema", "the 200 body is not JSON")]
  const result = (isStrict ? decodeAccountStrict : decodeAccount)(json)
  if (Either.isRight(result)) return []
  const issues = issuesOf(result.left)
  return [v("response_schema", `the 200 body does not decode as Account${isStrict ? " (strict)" : ""}`, issues)]
}

/**
 * `error_envelope`: a non-2xx body is an envelope, its `status` is the HTTP
 * status and, for a documented status, its `type` is of that tier.
 *
 * @since 0.1.0
 * @category checks
 */
export const errorEnvelope = (status: number, json: unknown, isStrict: boolean): ReadonlyArray<Violation> => {
  if (json === NotJson) return [v("error_envelope", `the ${status} body is not JSON`)]
  const found = ErrorEnvelope.decodeResponse(status, json, { strict: isStrict })
  if (found._tag !== "Violation") return []
  const issues = found.issues.map(DecodeIssue.formatIssue)
  const envelope = found.envelope
  if (envelope === undefined) {
    return [v("error_envelope", `the ${status} body is not an error envelope${isStrict ? " (strict)" : ""}`, issues)]
  }
  const out: Array<Violation> = []
  if (envelope.status !== status) {
    out.push(
      v(
        "error_envelope",
        `the envelope says status ${envelope.status} but the HTTP status is ${status}`,
        issues.filter((i) => i.startsWith("status"))
      )
    )
  }
  const typeIssues = issues.filter((i) => i.startsWith("type"))
  if (typeIssues.length > 0) {
    const entry = ErrorCatalogue.lookup(envelope.type)
    out.push(
      v(
        "error_envelope",
        entry === undefined
          ? `"${envelope.type}" is not a documented error type`
          : `"${envelope.type}" belongs to the ${entry.status} tier, not ${status}`,
        typeIssues
      )
    )
  }
  return out
}

/**
 * `status_code`: only documented statuses.
 *
 * @since 0.1.0
 * @category checks
 */
export const statusCode = (status: number): ReadonlyArray<Violation> =>
  documentedStatuses.has(status)
    ? []
    : [v("status_code", `status ${status} is not documented (${[...documentedStatuses].join(", ")})`)]

/**
 * `content_type`: `application/json`, or `application/problem+json` on errors.
 *
 * @since 0.1.0
 * @category checks
 */
export const contentType = (received: Received): ReadonlyArray<Violation> => {
  const media = mediaType(received.headers)
  const isError = received.status < 200 || received.status > 299
  if (media === "application/json" || (isError && media === "application/problem+json")) return []
  const wanted = isError ? "application/json or application/problem+json" : "application/json"
  const got = received.headers["content-type"]
  return [v("content_type", `expected ${wanted}, got ${got === undefined ? "no Content-Type" : JSON.stringify(got)}`)]
}

/**
 * `not_a_server_error`: no 500 (nor another 5xx than the transient ones).
 *
 * @since 0.1.0
 * @category checks
 */
export const notAServerError = (status: number): ReadonlyArray<Violation> =>
  status >= 500 && status <= 599 && !transientStatuses.has(status)
    ? [v("not_a_server_error", `the request provoked a server error (${status})`)]
    : []

/**
 * `key_not_reflected`: the key appears in no header (name or value) and not
 * in the body, raw or JSON-escaped.
 *
 * @since 0.1.0
 * @category checks
 */
export const keyNotReflected = (received: Received, apiKey: string): ReadonlyArray<Violation> => {
  const escaped = JSON.stringify(apiKey).slice(1, -1)
  const inBody = received.body.includes(apiKey) || received.body.includes(escaped)
  const headers = Object.entries(received.headers)
    .filter(([name, value]) => name.includes(apiKey.toLowerCase()) || value.includes(apiKey))
    .map(([name]) => name)
  const places = [...(inBody ? ["the body"] : []), ...headers.map((name) => `header ${name}`)]
  return places.length === 0 ? [] : [v("key_not_reflected", `the API key appears in ${places.join(" and ")}`)]
}

/**
 * Every response check that applies to one response.
 *
 * @since 0.1.0
 * @category checks
 */
export const validateResponse = (
  received: Received,
  json: unknown,
  options: { readonly strict: boolean; readonly apiKey: string | undefined }
): ReadonlyArray<Violation> => [
  ...(received.status === successStatus ? responseSchema(json, options.strict) : []),
  ...(received.status < 200 || received.status > 299 ? errorEnvelope(received.status, json, options.strict) : []),
  ...statusCode(received.status),
  ...contentType(received),
  ...notAServerError(received.status),
  ...(options.apiKey === undefined ? [] : keyNotReflected(received, options.apiKey))
]

/** Shorter runs of key characters are too likely to be coincidence. */
const MIN_REDACTED_RUN = 6

const sameLetter = (a: string, b: string): boolean => a === b || a.toLowerCase() === b.toLowerCase()

/** Where the key's head (its first six characters, any letter case) next starts in `text`, or -1. */
const findHead = (text: string, head: RegExp, from: number): number => {
  head.lastIndex = from
  return head.exec(text)?.index ?? -1
}

// Letter case is ignored: a near-miss key of the security checks (the key
// with its case changed) is as secret as the key itself.
const redactRuns = (text: string, key: string): string => {
  const head = Math.min(MIN_REDACTED_RUN, key.length)
  const pattern = new RegExp(key.slice(0, head).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi")
  let out = ""
  let from = 0
  let at = findHead(text, pattern, 0)
  while (at !== -1) {
    // Extend the match as far as the text keeps following the key, so that a
    // key cut short by truncation ("pp_live_abc...") is hidden as well.
    let end = at + head
    while (end < text.length && end - at < key.length && sameLetter(text[end]!, key[end - at]!)) end++
    out += `${text.slice(from, at)}***`
    from = end
    at = findHead(text, pattern, end)
  }
  return out + text.slice(from)
}

/**
 * Hides the key in anything that goes into a report: every occurrence, raw
 * or JSON-escaped, in any letter case, and also a key cut short by
 * truncation (any run of at least six of its leading characters).
 *
 * @since 0.1.0
 * @category redaction
 */
export const redact = (text: string, apiKey: string | undefined): string => {
  if (apiKey === undefined || apiKey.length === 0) return text
  const escaped = JSON.stringify(apiKey).slice(1, -1)
  const once = redactRuns(text, apiKey)
  return escaped === apiKey ? once : redactRuns(once, escaped)
}
