/**
 * The response rules: pure functions from one response to its violations.
 * They never look at which scenario sent the request, so a retried 503 or a
 * hostile-id 404 is judged exactly like any other response.
 *
 * @since 0.1.0
 */
import {
  type AccountDecoder,
  DecodeIssue,
  ErrorCatalogue,
  ErrorEnvelope,
  Redaction,
  ResponseRules
} from "@postpress/schema"

type UnknownTypes = AccountDecoder.UnknownTypes

import type { CheckName } from "./checks.js"

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
export const NotJson: typeof ResponseRules.NotJson = ResponseRules.NotJson

/**
 * Parses a body once; {@link NotJson} when it is not JSON.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseJson: (body: string) => unknown = ResponseRules.parseJson

/**
 * The only success status of the operation (the `HttpApi` contract's
 * default success status).
 *
 * @since 0.1.0
 * @category constants
 */
export const successStatus = ResponseRules.successStatus

/**
 * Statuses that mean "try again later"; they are retried and never fail a
 * scenario by themselves.
 *
 * @since 0.1.0
 * @category constants
 */
export const transientStatuses: ReadonlySet<number> = ResponseRules.transientStatuses

const v = (check: CheckName, message: string, issues: ReadonlyArray<string> = []): Violation => ({
  check,
  message,
  issues
})

// The rules themselves are the schema package's (one place for the client,
// the suite, the proxy and the HAR reader); here they get the suite's names.
const as = (check: CheckName, finding: ResponseRules.Finding | undefined): ReadonlyArray<Violation> =>
  finding === undefined ? [] : [v(check, finding.message, finding.issues)]

/**
 * `response_schema`: a 200 body decodes as `Account` (or, when unknown types
 * are kept, as an `UnknownAccount`: then it is drift, not a violation).
 *
 * @since 0.1.0
 * @category checks
 */
export const responseSchema = (
  json: unknown,
  isStrict: boolean,
  unknownTypes: UnknownTypes = "fail"
): ReadonlyArray<Violation> => as("response_schema", ResponseRules.accountSchema(json, isStrict, unknownTypes))

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
  as("status_code", ResponseRules.documentedStatus(status))

/**
 * `content_type`: `application/json`, or `application/problem+json` on errors.
 *
 * @since 0.1.0
 * @category checks
 */
export const contentType = (received: Received): ReadonlyArray<Violation> =>
  as("content_type", ResponseRules.contentType(received.status, received.headers["content-type"]))

/**
 * `not_a_server_error`: no 500 (nor another 5xx than the transient ones).
 *
 * @since 0.1.0
 * @category checks
 */
export const notAServerError = (status: number): ReadonlyArray<Violation> =>
  as("not_a_server_error", ResponseRules.serverError(status))

/**
 * `key_not_reflected`: the key appears in no header (name or value) and not
 * in the body, in any form a server or a gateway echoes it
 * (`Redaction.echoes`: raw, JSON-escaped, percent-encoded, nested up to three
 * times, in base64 or base64url of any text holding it, any letter case). A
 * key that only shares a prefix with what is echoed is not reflected.
 *
 * @since 0.1.0
 * @category checks
 */
export const keyNotReflected = (received: Received, apiKey: string): ReadonlyArray<Violation> => {
  const inBody = Redaction.echoes(received.body, apiKey)
  const headers = Object.entries(received.headers)
    .filter(([name, value]) => Redaction.echoes(name, apiKey) || Redaction.echoes(value, apiKey))
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
  options: {
    readonly strict: boolean
    readonly apiKey: string | undefined
    readonly unknownTypes?: UnknownTypes | undefined
  }
): ReadonlyArray<Violation> => [
  ...(received.status === successStatus ? responseSchema(json, options.strict, options.unknownTypes) : []),
  ...(received.status < 200 || received.status > 299 ? errorEnvelope(received.status, json, options.strict) : []),
  ...statusCode(received.status),
  ...contentType(received),
  ...notAServerError(received.status),
  ...(options.apiKey === undefined ? [] : keyNotReflected(received, options.apiKey))
]

/**
 * Hides the key in anything that goes into a report, through the one
 * masking function (`Redaction.scrub` of `@postpress/schema`): every
 * occurrence in every echoed form (raw, JSON-escaped, percent-encoded, nested,
 * base64, in any letter case; a base64 run holding it is masked whole), and
 * also a key cut short by truncation (any run of at least six of its leading
 * characters).
 *
 * @since 0.1.0
 * @category redaction
 */
export const redact = (text: string, apiKey: string | undefined): string =>
  apiKey === undefined ? text : Redaction.scrub(text, [apiKey])
