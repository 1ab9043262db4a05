/**
 * Why a contract run could not give a verdict at all (as opposed to finding
 * violations, which is a normal report).
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * `InvalidConfig`: the configuration cannot be run (bad URL, unknown check
 * name, no key). `Unreachable`: the server did not answer the first request.
 * The CLI maps both to exit code 2.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContractError extends Data.TaggedError("ContractError")<{
  readonly reason: "InvalidConfig" | "Unreachable"
  readonly message: string
}> {}
