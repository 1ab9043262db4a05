/**
 * The rules one response of the retrieve operation must follow, written once
 * for every judge: the client (a broken 200 is a `ContractViolation`), the
 * contract suite's response checks, the proxy and the HAR reader.
 *
 * Each rule is a pure function returning a neutral {@link Finding} (a
 * {@link Rule} tag, a message and issue lines) or nothing; each user maps the
 * tag to its own vocabulary (the suite's check names, the client's errors).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AccountDecoder from "./AccountDecoder.js"
import * as ApiError from "./ApiError.js"
import * as DecodeIssue from "./DecodeIssue.js"
import * as ErrorCatalogue from "./ErrorCatalogue.js"

/**
 * Which rule a finding breaks:
 *
 * - `account_schema`: a 200 body is JSON that decodes as `Account`;
 * - `account_id`: a 200 body's `id` is the id that was requested;
 * - `json_content_type`: the media type is `application/json` (or
 *   `application/problem+json` on an error);
 * - `documented_status`: the status is one the spec documents;
 * - `server_error`: no 5xx other than the transient ones.
 *
 * @since 0.1.0
 * @category models
 */
export type Rule = "account_schema" | "account_id" | "json_content_type" | "documented_status" | "server_error"

/**
 * One broken rule.
 *
 * @since 0.1.0
 * @category models
 */
export interface Finding {
  readonly rule: Rule
  readonly message: string
  readonly issues: ReadonlyArray<string>
}

/**
 * Marks a body that is not JSON.
 *
 * @since 0.1.0
 * @category constants
 */
export const NotJson: unique symbol = Symbol.for("@postpress/contract-tests/NotJson")

// Built once: `Schema.parseJson` is the one way a body's text becomes JSON (a parse error is a value, never
// a throw). ParseResult's decoder returns the issue itself: no ParseError (an Error with a stack) per
// body that is not JSON, which made that path three times slower.
const decodeJson = ParseResult.decodeUnknownEither(Schema.parseJson())

/**
 * Parses a body once, through `Schema.parseJson`; {@link NotJson} when it is
 * not JSON.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseJson = (body: string): unknown => Either.getOrElse(decodeJson(body), () => NotJson)

/**
 * The only success status of the operation.
 *
 * @since 0.1.0
 * @category constants
 */
export const successStatus = 200

/**
 * Every status the spec documents: 200 and the error tiers.
 *
 * @since 0.1.0
 * @category constants
 */
export const documentedStatuses: ReadonlySet<number> = new Set([successStatus, ...ErrorCatalogue.errorStatuses])

/**
 * Statuses that mean "try again later" (503, 504): retried, and never a
 * violation by themselves.
 *
 * @since 0.1.0
 * @category constants
 */
export const transientStatuses: ReadonlySet<number> = new Set([
  ApiError.ServiceUnavailable.status,
  ApiError.GatewayTimeout.status
])

/**
 * Whether a status is 2xx.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSuccessful = (status: number): boolean => status >= 200 && status <= 299

/**
 * The media type of a `Content-Type` value, lowercase, without parameters.
 *
 * @since 0.1.0
 * @category parsing
 */
export const mediaType = (contentType: string | undefined): string | undefined =>
  contentType?.split(";")[0]?.trim().toLowerCase()

const finding = (rule: Rule, message: string, issues: ReadonlyArray<string> = []): Finding => ({
  rule,
  message,
  issues
})

/**
 * `json_content_type`: `application/json` (parameters allowed), or
 * `application/problem+json` on an error status.
 *
 * @since 0.1.0
 * @category rules
 */
export const contentType = (status: number, contentTypeHeader: string | undefined): Finding | undefined => {
  const media = mediaType(contentTypeHeader)
  const isError = !isSuccessful(status)
  if (media === "application/json" || (isError && media === "application/problem+json")) return undefined
  const wanted = isError ? "application/json or application/problem+json" : "application/json"
  const got = contentTypeHeader === undefined ? "no Content-Type" : JSON.stringify(contentTypeHeader)
  return finding("json_content_type", `expected ${wanted}, got ${got}`)
}

/**
 * `documented_status`: only statuses the spec documents.
 *
 * @since 0.1.0
 * @category rules
 */
export const documentedStatus = (status: number): Finding | undefined =>
  documentedStatuses.has(status)
    ? undefined
    : finding("documented_status", `status ${status} is not documented (${[...documentedStatuses].join(", ")})`)

/**
 * `server_error`: no 5xx but the transient ones.
 *
 * @since 0.1.0
 * @category rules
 */
export const serverError = (status: number): Finding | undefined =>
  status >= 500 && status <= 599 && !transientStatuses.has(status)
    ? finding("server_error", `the request provoked a server error (${status})`)
    : undefined

const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<string> =>
  DecodeIssue.fromParseError(error).map(DecodeIssue.formatIssue)

/**
 * `account_schema`: a 200 body (already parsed, or {@link NotJson}) decodes
 * as `Account`; `strict` also refuses fields the spec does not name; with
 * `unknownTypes: "keep"` an account of a type none of the 14 passes when it
 * decodes as an `UnknownAccount` (its shared fields valid).
 *
 * @since 0.1.0
 * @category rules
 */
export const accountSchema = (
  json: unknown,
  strict: boolean,
  unknownTypes: AccountDecoder.UnknownTypes = "fail"
): Finding | undefined => {
  if (json === NotJson) return finding("account_schema", "the 200 body is not JSON")
  const result = AccountDecoder.decoder({ strict, unknownTypes })(json)
  if (Either.isRight(result)) return undefined
  return finding(
    "account_schema",
    `the 200 body does not decode as Account${strict ? " (strict)" : ""}`,
    issuesOf(result.left)
  )
}

const field = (json: unknown, key: string): unknown =>
  typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)[key] : undefined

/**
 * `account_id`: a 200 body names the account as requested (`body.id` is the
 * requested id, exactly).
 *
 * @since 0.1.0
 * @category rules
 */
export const accountId = (requestedId: string, json: unknown): Finding | undefined => {
  const got = field(json, "id")
  if (got === requestedId) return undefined
  const shown = typeof got === "string" ? JSON.stringify(got) : String(got)
  return finding(
    "account_id",
    `body.id ${typeof got === "string" ? shown : "is missing"}; expected the id as given, ${JSON.stringify(requestedId)}`,
    [`id: expected ${JSON.stringify(requestedId)}, got ${shown}`]
  )
}

/**
 * Every rule of a 200 answer to a request for `requestedId`, in the order a
 * reader wants them: the content type, the Account shape, then the id (only
 * judged when the body is an object).
 *
 * @since 0.1.0
 * @category rules
 */
export const success = (input: {
  readonly requestedId: string
  readonly contentType: string | undefined
  readonly json: unknown
  readonly strict?: boolean | undefined
  /** @since 0.2.0 */
  readonly unknownTypes?: AccountDecoder.UnknownTypes | undefined
}): ReadonlyArray<Finding> => {
  const out: Array<Finding> = []
  const media = contentType(successStatus, input.contentType)
  if (media !== undefined) out.push(media)
  const shape = accountSchema(input.json, input.strict ?? false, input.unknownTypes)
  if (shape !== undefined) out.push(shape)
  if (input.json !== NotJson) {
    const id = accountId(input.requestedId, input.json)
    if (id !== undefined) out.push(id)
  }
  return out
}

/**
 * Statuses a gateway or load balancer answers with its own page when the API
 * behind it is down or slow (502, 503, 504).
 *
 * @since 0.1.0
 * @category constants
 */
export const gatewayStatuses: ReadonlySet<number> = new Set([502, ...transientStatuses])

/**
 * An answer that did not come from the API, so no rule of the API judges it:
 *
 * - `cache`: a bodiless revalidation answer (`304 Not Modified`), or a
 *   `412 Precondition Failed` to a request that carried `If-Match` /
 *   `If-Unmodified-Since` (the request's precondition, not the API's rule);
 * - `partial`: `206`/`416` to a request that carried `Range` (a slice of the
 *   answer, or a refusal of the slice);
 * - `gateway`: a 502/503/504 whose body is not JSON (a load balancer's HTML
 *   or text page, an empty 504): an outage in front of the API. A JSON body on
 *   those statuses is the API's and is judged as an envelope.
 *
 * `reason` is one short phrase naming the kind with what was seen
 * (`gateway page: 503 text/html`), the same for the client, the suite, the
 * proxy and the HAR reader.
 *
 * @since 0.1.0
 * @category models
 */
export interface NotTheApi {
  readonly kind: "cache" | "partial" | "gateway"
  readonly status: number
  /** The media type as sent (lowercase, no parameters), or `none`. */
  readonly contentType: string
  /** What was seen, without the kind: `503 text/html`, `304 Not Modified`, `206 to a Range request`. */
  readonly seen: string
  /** The kind and what was seen, as one phrase: `gateway page: 503 text/html`. */
  readonly reason: string
}

/**
 * The request headers that make a 304/412/206/416 a transport answer rather
 * than the API's (lowercase names).
 */
const conditional = ["if-none-match", "if-modified-since", "if-match", "if-unmodified-since"] as const
const ranged = ["range", "if-range"] as const

const kindPhrase: Readonly<Record<NotTheApi["kind"], string>> = {
  cache: "cache answer",
  partial: "partial answer",
  gateway: "gateway page"
}

const carries = (
  headers: Readonly<Record<string, string | undefined>> | undefined,
  names: ReadonlyArray<string>
): boolean => headers !== undefined && names.some((name) => headers[name] !== undefined)

/**
 * THE classification of an answer that is not the API's, used by the client
 * (a gateway page is an outage, not a contract violation), the suite, the
 * proxy and the HAR reader (not judged, counted with `reason`). `json` is the
 * body already parsed, or {@link NotJson}; `requestHeaders` (lowercase names)
 * are only needed to recognise answers to conditional or range requests.
 *
 * @since 0.1.0
 * @category rules
 */
export const notTheApi = (input: {
  readonly status: number
  readonly contentType: string | undefined
  readonly json: unknown
  readonly requestHeaders?: Readonly<Record<string, string | undefined>> | undefined
}): NotTheApi | undefined => {
  const { status } = input
  const media = mediaType(input.contentType) || "none"
  const make = (kind: NotTheApi["kind"], seen: string): NotTheApi => ({
    kind,
    status,
    contentType: media,
    seen,
    reason: `${kindPhrase[kind]}: ${seen}`
  })
  if (status === 304) return make("cache", "304 Not Modified")
  if (status === 412 && carries(input.requestHeaders, conditional)) return make("cache", "412 to a conditional request")
  if ((status === 206 || status === 416) && carries(input.requestHeaders, ranged)) {
    return make("partial", `${status} to a Range request`)
  }
  if (gatewayStatuses.has(status) && input.json === NotJson) return make("gateway", `${status} ${media}`)
  return undefined
}
