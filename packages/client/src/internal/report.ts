/**
 * What the CLI prints for a failure (one JSON object) and the exit code it
 * maps to. Kept apart from the command definition so it can be read as the
 * CLI's error contract.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import type * as ClientError from "../ClientError.js"

/** @internal */
export const ExitCode = {
  ok: 0,
  apiError: 1,
  usage: 2,
  contractViolation: 3,
  transport: 4
} as const

/** @internal */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** @internal */
export interface Report {
  readonly _tag: string
  readonly message: string
  readonly attempts: number
  readonly [field: string]: unknown
}

/** @internal */
export const exitCodeOf = (error: ClientError.RetrieveError): ExitCode => {
  switch (error._tag) {
    case "ContractViolation":
      return ExitCode.contractViolation
    case "TransportError":
    case "TimeoutError":
      return ExitCode.transport
    case "InvalidArgument":
      return ExitCode.usage
    default:
      return ExitCode.apiError
  }
}

const defined = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))

/**
 * The error as one flat JSON object: `_tag`, `status` and `type` where known,
 * `attempts`, `message`, then the details of that error.
 *
 * @internal
 */
export const reportOf = (error: ClientError.RetrieveError): Report => {
  const retryAfterMs = (d: Duration.Duration | undefined) => (d === undefined ? undefined : Duration.toMillis(d))
  switch (error._tag) {
    case "InvalidArgument":
      return { _tag: error._tag, attempts: 0, message: error.message, argument: error.argument }
    case "TransportError":
      return {
        _tag: error._tag,
        attempts: error.attempts,
        message: error.message,
        ...defined({ reason: error.reason, code: error.code })
      }
    case "TimeoutError":
      return {
        _tag: error._tag,
        attempts: error.attempts,
        message: error.message,
        scope: error.scope,
        limitMs: Duration.toMillis(error.limit)
      }
    case "ContractViolation":
      return {
        _tag: error._tag,
        status: error.status,
        attempts: error.attempts,
        message: error.message,
        ...defined({ requestId: error.requestId, issues: error.issues, body: error.body })
      }
    case "RateLimited":
      return {
        _tag: error._tag,
        status: error.status,
        ...defined({ type: error.type }),
        attempts: error.attempts,
        message: error.message,
        ...defined({
          title: error.title,
          detail: error.detail,
          instance: error.instance,
          requestId: error.requestId,
          retryAfterMs: retryAfterMs(error.retryAfter),
          body: error.body
        })
      }
    case "UnexpectedStatus":
      return {
        _tag: error._tag,
        ...defined({ status: error.status, type: error.type }),
        attempts: error.attempts,
        message: error.message,
        ...defined({
          title: error.title,
          reason: error.reason,
          requestId: error.requestId,
          retryAfterMs: retryAfterMs(error.retryAfter),
          body: error.body
        })
      }
    default:
      return {
        _tag: error._tag,
        status: error.status,
        type: error.type,
        // Always set by the client; optional on the schema's classes.
        attempts: error.attempts ?? 1,
        message: error.message,
        ...defined({
          title: error.title,
          detail: error.detail,
          instance: error.instance,
          requestId: error.requestId,
          retryAfterMs: retryAfterMs(error.retryAfter)
        })
      }
  }
}
