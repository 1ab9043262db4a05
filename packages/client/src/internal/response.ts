/**
 * Turning one HTTP response (status, headers, body text) into an Account or
 * a typed error. Every schema comes from `@postpress/schema`; decoders are
 * compiled once at module load because this runs on every request.
 *
 * @internal
 */
import { Account, DecodeIssue, ErrorCatalogue, ErrorEnvelope } from "@postpress/schema"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as ClientError from "../ClientError.js"
import { parseRetryAfter } from "../RetryPolicy.js"

const decodeAccount = Schema.decodeUnknownEither(Account.Account)
const decodeAnyEnvelope = Schema.decodeUnknownEither(ErrorEnvelope.ErrorEnvelope)
const decodeTier = Object.fromEntries(
  ErrorCatalogue.errorStatuses.map((status) => [
    status,
    Schema.decodeUnknownEither(ErrorEnvelope.envelopes[status] as Schema.Schema.AnyNoContext)
  ])
) as unknown as Record<
  ErrorCatalogue.ErrorStatus,
  (u: unknown) => Either.Either<ErrorEnvelope.DocumentedErrorEnvelope, ParseResult.ParseError>
>

/** Kept body excerpts are at most this many characters. */
export const maxBodyChars = 1024

/** @internal */
export const truncate = (text: string): string =>
  text.length <= maxBodyChars ? text : `${text.slice(0, maxBodyChars)}… (${text.length - maxBodyChars} more chars)`

/**
 * The response details that errors keep, already scrubbed of the key by the
 * caller: a server that echoes request headers must not leak it through us.
 *
 * @internal
 */
export interface Meta {
  readonly status: number
  readonly headers: { readonly [name: string]: string | undefined }
  readonly attempts: number
  readonly nowMs: number
  /** Removes the key from anything taken from the response. */
  readonly scrub: (s: string) => string
}

type Extra = { requestId?: string; retryAfter?: import("effect/Duration").Duration }

const extras = (meta: Meta, instance: string | undefined): Extra => {
  const out: Extra = {}
  const requestId = meta.headers["x-request-id"] ?? instance
  if (requestId !== undefined) out.requestId = meta.scrub(requestId)
  const retryAfter = parseRetryAfter(meta.headers, meta.nowMs)
  if (retryAfter !== undefined) out.retryAfter = retryAfter
  return out
}

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
    issues,
    body: truncate(text),
    attempts: meta.attempts,
    ...extras(meta, instance)
  })

const issueLines = (error: ParseResult.ParseError): ReadonlyArray<string> => DecodeIssue.format(error).split("\n")

/**
 * A 2xx body: the Account, or a contract violation.
 *
 * @internal
 */
export const success = (meta: Meta, text: string): Either.Either<Account.Account, ClientError.ContractViolation> => {
  const scrub = meta.scrub
  const json = parseJson(text)
  if (Either.isLeft(json)) return Either.left(violation(meta, [scrub(json.left)], scrub(text)))
  const decoded = decodeAccount(json.right)
  if (Either.isRight(decoded)) return Either.right(decoded.right)
  return Either.left(violation(meta, issueLines(decoded.left).map(scrub), scrub(text)))
}

/**
 * A non-2xx body that is not a redirect: the tier error of a documented
 * status, or UnexpectedStatus, or a contract violation. `text` is scrubbed.
 *
 * @internal
 */
export const failure = (
  meta: Meta,
  text: string,
  reason?: string
): ClientError.TierError | ClientError.UnexpectedStatus | ClientError.ContractViolation => {
  const json = parseJson(text)
  const status = meta.status
  if (!ErrorCatalogue.isErrorStatus(status)) {
    const envelope = Either.isRight(json) ? Either.getRight(decodeAnyEnvelope(json.right)) : undefined
    const env = envelope?._tag === "Some" ? envelope.value : undefined
    return new ClientError.UnexpectedStatus({
      status,
      body: truncate(text),
      attempts: meta.attempts,
      ...(env === undefined ? {} : { type: env.type, title: env.title }),
      ...(reason === undefined ? {} : { reason }),
      ...extras(meta, env?.instance)
    })
  }
  if (Either.isLeft(json)) return violation(meta, [json.left], text)
  const decoded = decodeTier[status](json.right)
  if (Either.isLeft(decoded)) {
    const instance = (json.right as { instance?: unknown } | null)?.instance
    return violation(meta, issueLines(decoded.left), text, typeof instance === "string" ? instance : undefined)
  }
  const fields = { ...decoded.right, attempts: meta.attempts, ...extras(meta, decoded.right.instance) }
  // One constructor per status; the casts only bridge the per-status literal types.
  const Tier = ClientError.byStatus[status] as unknown as new (f: typeof fields) => ClientError.TierError
  return new Tier(fields)
}
