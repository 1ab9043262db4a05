/**
 * Why a contract run could not give a verdict at all (as opposed to finding
 * violations, which is a normal report), and why one request got no answer.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * `InvalidConfig`: the configuration cannot be run (bad URL, unknown check
 * name, no key). `Unreachable`: the server did not answer the first request.
 * The CLI maps both to exit code 2.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContractError extends Schema.TaggedError<ContractError>()("ContractError", {
  reason: Schema.Literal("InvalidConfig", "Unreachable"),
  message: Schema.String
}) {}

/**
 * One request of the suite got no answer: connection refused or reset, DNS
 * failure, a timeout. `code` is the system error code when there is one
 * (`ECONNREFUSED`, `ETIMEDOUT`, ...). Inside a run the request is retried,
 * then reported as not judged (after the retries), never a failure of the
 * run. Its tag differs from the client's `TransportError` so that
 * `catchTag` is never ambiguous in a program using both.
 *
 * @since 0.1.0
 * @category errors
 */
export class ExchangeError extends Schema.TaggedError<ExchangeError>()("ExchangeError", {
  message: Schema.String,
  code: Schema.optional(Schema.String)
}) {}
