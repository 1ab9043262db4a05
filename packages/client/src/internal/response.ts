/**
 * Turning one HTTP response (status, headers, body text) into an Account or
 * a typed error. The Account decoder and the error-body check
 * (`ErrorEnvelope.decodeResponse`) are the schema package's; the tier errors
 * are its `ApiError` classes.
 *
 * @internal
 */
import {
  type Account,
  AccountDecoder,
  ApiError,
  DecodeIssue,
  ErrorCatalogue,
  ErrorEnvelope,
  ResponseRules,
  RetryPolicy
} from "@postpress/schema"
import type * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as ClientError from "../ClientError.js"

const { parseRetryAfter } = RetryPolicy

/** Kept body excerpts are at most this many characters. */
export const maxBodyChars = 1024

/** A gateway page is kept shorter: its start tells what it is. */
export const maxPageChars = 256

/** @internal */
export const truncate = (text: string, max: number = maxBodyChars): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`

/**
 * The response details that errors keep. `scrub` removes the key from
 * anything taken from the response: a server that echoes request headers
 * must not leak it through us.
 *
 * @internal
 */
export interface Meta {
  readonly status: number
  readonly headers: { readonly [name: string]: string | undefined }
  readonly attempts: number
  readonly nowMs: number
  readonly scrub: (s: string) => string
}

const facts = (meta: Meta, instance: string | undefined): ApiError.ExchangeFacts & { attempts: number } => {
  const out: { attempts: number; requestId?: string; retryAfter?: Duration.Duration } = {
    attempts: meta.attempts
  }
  const requestId = meta.headers["x-request-id"] ?? instance
  if (requestId !== undefined) out.requestId = meta.scrub(requestId)
  const retryAfter = parseRetryAfter(meta.headers, meta.nowMs)
  if (retryAfter !== undefined) out.retryAfter = retryAfter
  return out
}

/** The body as JSON, or the issue line saying why it is not JSON. */
const parseJson = (text: string): Either.Either<unknown, string> => {
  try {
    return Either.right(JSON.parse(text))
  } catch (e) {
    return Either.left(`(root): expected JSON, got ${text === "" ? "an empty body" : (e as Error).message}`)
  }
}

const violation = (meta: Meta, issues: ReadonlyArray<string>, text: string, instance?: string) =>
  new ClientError.ContractViolation({
    status: meta.status,
    issues: issues.map(meta.scrub),
    body: truncate(meta.scrub(text)),
    ...facts(meta, instance)
  })

const issueLines = (error: ParseResult.ParseError): ReadonlyArray<string> => DecodeIssue.format(error).split("\n")

/**
 * The decoder of a 200 body: `AccountDecoder.decoder` for the client's
 * `unknownTypes` (lenient: the client drops fields it does not know).
 *
 * @internal
 */
export type AccountDecode = (json: unknown) => Either.Either<Account.AccountOrUnknown, ParseResult.ParseError>

/** @internal */
export const accountDecode = (unknownTypes: AccountDecoder.UnknownTypes): AccountDecode =>
  AccountDecoder.decoder({ unknownTypes })

/**
 * A 2xx body: the Account (or, when the client keeps unknown types, an
 * UnknownAccount), or a contract violation. The 200 rules are the schema
 * package's `ResponseRules` (the contract suite's too): a JSON media type, a
 * body that decodes as Account, and `body.id` equal to the requested id.
 *
 * @internal
 */
export const success = (
  meta: Meta,
  text: string,
  requestedId: string,
  decode: AccountDecode
): Either.Either<Account.AccountOrUnknown, ClientError.ContractViolation> => {
  const media = ResponseRules.contentType(meta.status, meta.headers["content-type"])
  const mediaIssues = media === undefined ? [] : [`content-type: ${media.message}`]
  const json = parseJson(text)
  if (Either.isLeft(json)) return Either.left(violation(meta, [...mediaIssues, json.left], text))
  const decoded = decode(json.right)
  if (Either.isLeft(decoded)) return Either.left(violation(meta, [...mediaIssues, ...issueLines(decoded.left)], text))
  const id = ResponseRules.accountId(requestedId, json.right)
  if (media === undefined && id === undefined) return Either.right(decoded.right)
  return Either.left(violation(meta, [...mediaIssues, ...(id?.issues ?? [])], text))
}

/**
 * A body over the limit: never judged, never retried.
 *
 * @internal
 */
export const tooLarge = (
  meta: Meta,
  limit: number,
  received: number,
  complete: boolean
): ClientError.ResponseTooLarge =>
  new ClientError.ResponseTooLarge({ status: meta.status, limit, received, complete, ...facts(meta, undefined) })

/**
 * A non-2xx body that is not a followed redirect: an outage for a gateway's
 * page (`ResponseRules.notTheApi`: a 502/503/504 that is not JSON), the tier
 * error of a documented status, RateLimited for 429, UnexpectedStatus for the
 * other undocumented statuses, or a contract violation. `reason` says why a
 * redirect was not followed.
 *
 * @internal
 */
export const failure = (
  meta: Meta,
  text: string,
  reason?: string
):
  | ClientError.TierError
  | ClientError.RateLimited
  | ClientError.Outage
  | ClientError.UnexpectedStatus
  | ClientError.ContractViolation => {
  const json = parseJson(text)
  const status = meta.status
  const notTheApi = ResponseRules.notTheApi({
    status,
    contentType: meta.headers["content-type"],
    json: Either.getOrElse(json, () => ResponseRules.NotJson)
  })
  // A gateway's page is an outage. (The client sends no conditional or range request: a 304 or 206 is unexpected.)
  if (notTheApi?.kind === "gateway") {
    return new ClientError.Outage({
      status,
      contentType: notTheApi.contentType,
      reason: notTheApi.reason,
      body: truncate(meta.scrub(text), maxPageChars),
      ...facts(meta, undefined)
    })
  }
  const found = Either.isRight(json) ? ErrorEnvelope.decodeResponse(status, json.right) : undefined
  if (found?._tag === "Documented") {
    const envelope = scrubEnvelope(meta, found.envelope)
    return ApiError.fromEnvelope(envelope, facts(meta, envelope.instance))
  }
  const envelope = found?.envelope === undefined ? undefined : scrubEnvelope(meta, found.envelope)
  if (ErrorCatalogue.isErrorStatus(status)) {
    // A documented status whose body is not that tier's envelope.
    const issues = Either.isLeft(json)
      ? [json.left]
      : found?._tag === "Violation"
        ? found.issues.map(DecodeIssue.formatIssue)
        : []
    return violation(meta, issues, text, envelope?.instance)
  }
  const body = truncate(meta.scrub(text))
  const more = facts(meta, envelope?.instance)
  if (status === 429) {
    const { status: _, ...fields } = envelope ?? {}
    return new ClientError.RateLimited({ ...fields, status, body, ...more })
  }
  return new ClientError.UnexpectedStatus({
    status,
    body,
    ...(envelope === undefined ? {} : { type: envelope.type, title: envelope.title }),
    ...(reason === undefined ? {} : { reason }),
    ...more
  })
}

/** The envelope's texts without the key (a server may echo it anywhere, JSON-escaped too). */
const scrubEnvelope = <E extends ErrorEnvelope.ErrorEnvelope>(meta: Meta, envelope: E): E => {
  const out: Record<string, unknown> = { ...envelope }
  for (const key of ["title", "detail", "instance", "type"] as const) {
    const value = envelope[key]
    if (value !== undefined) out[key] = meta.scrub(value)
  }
  return out as E
}
