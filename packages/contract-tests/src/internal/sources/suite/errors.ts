/**
 * The suite's errors, one `Schema.TaggedError` per case: a configuration
 * that cannot run (`InvalidConfig`, the only way a run fails) and one
 * request without a whole answer (`ExchangeError`, a transport's failure,
 * never the run's). The `ContractError` face exports them.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { InvalidConfig } from "../../invalidConfig.js"

export {
  /**
   * One thing wrong with a configuration: the field (its path in
   * `Contract.Config`, `[]` for a rule over several fields) and what its
   * rule says, in the rule's own words (`expected an integer ≥ 1, got 0`). A
   * CLI names its flag for the path and shows the words after it.
   *
   * @since 0.1.0
   * @category models
   */
  ConfigIssue,
  /**
   * The configuration cannot be run, and nothing was sent: each issue names
   * its field (a base URL the `BaseUrl` rule refuses, an unknown check, no
   * key, a count or a duration out of range, nothing selected). The message
   * says them all (`rateLimit: expected an integer ≥ 1, got 0`). The same
   * error as the proxy's and the HAR reader's. A server that cannot be
   * reached is no error of the run: its report is inconclusive and says
   * why. The CLI maps it to exit code 2.
   *
   * @since 0.1.0
   * @category errors
   */
  InvalidConfig
} from "../../invalidConfig.js"

/**
 * Why a contract run could not start (as opposed to finding violations or
 * not being able to judge, which are a normal report).
 *
 * @since 0.1.0
 * @category errors
 */
export type ContractError = InvalidConfig

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
