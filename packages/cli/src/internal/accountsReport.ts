/**
 * What `postpress accounts get` prints for a failure (one flat JSON object)
 * and the exit code it maps to: the command's error contract, read off the
 * client's public error classes.
 *
 * @internal
 */
import type { ClientError } from "@postpress/client"
import * as Duration from "effect/Duration"
import { ExitCode } from "./exitCode.js"

type RetrieveError = ClientError.RetrieveError

/**
 * The exit code of each failure `accounts get` can meet, by tag: exhaustive
 * (a new client error does not compile until it has its code), and the
 * source of the `_tag`s column of the generated exit-code table.
 */
export const exitCodeByTag: { readonly [Tag in RetrieveError["_tag"]]: ExitCode } = {
  BadRequest: ExitCode.apiError,
  Unauthorized: ExitCode.apiError,
  NotFound: ExitCode.apiError,
  InternalServerError: ExitCode.apiError,
  ServiceUnavailable: ExitCode.apiError,
  GatewayTimeout: ExitCode.apiError,
  RateLimited: ExitCode.apiError,
  UnexpectedStatus: ExitCode.apiError,
  // The client refuses an id or an option it cannot send: nothing was sent.
  InvalidArgument: ExitCode.usage,
  ContractViolation: ExitCode.contractViolation,
  TransportError: ExitCode.transport,
  TimeoutError: ExitCode.transport,
  // A gateway's page: the API never answered, so nothing was violated (and no API error either).
  Outage: ExitCode.transport,
  // A body over the limit was never judged: like no answer, not a violation.
  ResponseTooLarge: ExitCode.transport
}

export interface Report {
  readonly _tag: string
  readonly message: string
  readonly attempts: number
  readonly [field: string]: unknown
}

export const exitCodeOf = (error: RetrieveError): ExitCode => exitCodeByTag[error._tag]

// Fields printed after `_tag`/`status`/`type`/`attempts`/`message`, in this order, when the error has them.
const details = [
  "argument",
  "scope",
  "contentType",
  "reason",
  "code",
  "title",
  "detail",
  "instance",
  "requestId",
  "retryAfter",
  "limit",
  "received",
  "complete",
  "issues",
  "body"
] as const

const jsonOf = (field: string, value: unknown): readonly [string, unknown] =>
  Duration.isDuration(value) ? [`${field}Ms`, Duration.toMillis(value)] : [field, value]

/**
 * The error as one flat JSON object: `_tag`, `status` and `type` where known,
 * `attempts`, `message`, then whatever details that error carries (durations
 * as `…Ms` numbers). Never the key: client errors do not hold it.
 */
export const reportOf = (error: RetrieveError): Report => {
  const fields = error as unknown as Record<string, unknown>
  const out: Record<string, unknown> = { _tag: error._tag }
  for (const name of ["status", "type"]) if (fields[name] !== undefined) out[name] = fields[name]
  out.attempts = typeof fields.attempts === "number" ? fields.attempts : 0
  out.message = error.message
  for (const name of details) {
    if (fields[name] !== undefined) {
      const [key, value] = jsonOf(name, fields[name])
      out[key] = value
    }
  }
  return out as Report
}
