/**
 * What `postpress accounts get` prints for a failure (one flat JSON object)
 * and the exit code it maps to: the command's error contract, read off the
 * client's public error classes.
 *
 * @internal
 */
import type { ClientError } from "@postpress/client"
import * as Duration from "effect/Duration"

/** 0 ok, 1 API error, 2 usage, 3 contract violation, 4 transport error or timeout. */
export const ExitCode = { ok: 0, apiError: 1, usage: 2, contractViolation: 3, transport: 4 } as const

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

export interface Report {
  readonly _tag: string
  readonly message: string
  readonly attempts: number
  readonly [field: string]: unknown
}

type RetrieveError = ClientError.RetrieveError

export const exitCodeOf = (error: RetrieveError): ExitCode => {
  switch (error._tag) {
    case "ContractViolation":
      return ExitCode.contractViolation
    case "TransportError":
    case "TimeoutError":
    // A body over the limit was never judged: like no answer, not a violation.
    case "ResponseTooLarge":
      return ExitCode.transport
    case "InvalidArgument":
      return ExitCode.usage
    default:
      return ExitCode.apiError
  }
}

// Fields printed after `_tag`/`status`/`type`/`attempts`/`message`, in this order, when the error has them.
const details = [
  "argument",
  "scope",
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
