/**
 * The suite's errors: a configuration that cannot run (`ContractError`) and
 * one request without a whole answer (`ExchangeError`). The `ContractError`
 * face exports them.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * `InvalidConfig`: the configuration cannot be run (a base URL the
 * `BaseUrl` rule refuses, an unknown check name, no key, nothing selected);
 * nothing was sent. The CLI maps it to exit code 2. A server that cannot be
 * reached is no error of the run: its report is inconclusive and says why.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContractError extends Schema.TaggedError<ContractError>()("ContractError", {
  reason: Schema.Literal("InvalidConfig"),
  message: Schema.String
}) {}

/**
 * One request of the suite got no (whole) answer: connection refused or
 * reset, DNS failure, a timeout, or an answer whose body was cut short
 * (`status` is then the status line that did arrive). `code` is the system
 * error code when there is one (`ECONNREFUSED`, `ETIMEDOUT`, ...). Inside a
 * run the request is retried, then reported as not judged (after the
 * retries), never a failure of the run. Its tag differs from the client's
 * `TransportError` so that `catchTag` is never ambiguous in a program using
 * both.
 *
 * @since 0.1.0
 * @category errors
 */
export class ExchangeError extends Schema.TaggedError<ExchangeError>()("ExchangeError", {
  message: Schema.String,
  code: Schema.optional(Schema.String),
  /** The status the server answered before the exchange broke (the body was cut short). */
  status: Schema.optional(Schema.Number)
}) {}
