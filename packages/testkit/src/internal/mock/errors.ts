/**
 * The mock's failures, one `Schema.TaggedError` per case, each with the
 * fields a caller reads and a message derived from them: `detail` is the
 * sentence (what the CLI prints after `postpress mock: `), `message` is
 * `mock server: ${detail}`. Every tag starts with `Mock`, so a program that
 * runs the mock next to the proxy or the suite can `catchTags` them apart.
 *
 * @since 0.1.0
 */
import { ConfigRules } from "@postpress/schema"
import * as Schema from "effect/Schema"

/**
 * One refused option: its Schema path in `MockServer.Options` (`["port"]`)
 * and the rule's message (`expected a port, …, got 70000`): `ConfigRules.Issue`,
 * as the contract tests' and the client's, so the CLI maps all to flags alike.
 *
 * @since 0.1.0
 * @category models
 */
export const OptionIssue = ConfigRules.Issue

/**
 * @since 0.1.0
 * @category models
 */
export interface OptionIssue extends ConfigRules.Issue {}

/**
 * The options were refused (decoding `MockServer.Config`, or a
 * `coverageFile` whose directory cannot be written): every refused option,
 * each with its rule's message. Nothing was started.
 *
 * @since 0.1.0
 * @category errors
 */
export class MockInvalidOptions extends Schema.TaggedError<MockInvalidOptions>()("MockInvalidOptions", {
  issues: Schema.NonEmptyArray(OptionIssue)
}) {
  /** `port: expected a port, an integer from 0 to 65535 (0: a free one), got 70000` (issues joined with `; `). */
  get detail(): string {
    return ConfigRules.format(this.issues)
  }
  override get message(): string {
    return `mock server: ${this.detail}`
  }
}

const listenProblems: Readonly<Record<string, string>> = {
  EADDRINUSE: "the port is in use",
  EACCES: "permission denied",
  EADDRNOTAVAIL: "the address is not available"
}

/**
 * The mock could not listen (the port is taken, a privileged port, ...):
 * where it tried and the system's error code, when there was one.
 *
 * @since 0.1.0
 * @category errors
 */
export class MockCannotListen extends Schema.TaggedError<MockCannotListen>()("MockCannotListen", {
  host: Schema.String,
  port: Schema.Number,
  code: Schema.optional(Schema.String)
}) {
  /** `cannot listen on 127.0.0.1:4010: the port is in use (EADDRINUSE)`. */
  get detail(): string {
    const problem =
      this.code === undefined ? "the server did not start" : `${listenProblems[this.code] ?? "error"} (${this.code})`
    return `cannot listen on ${this.host}:${this.port}: ${problem}`
  }
  override get message(): string {
    return `mock server: ${this.detail}`
  }
}

/**
 * `coverage` was asked of a mock started without `coverage: true`: an empty
 * report would claim gaps nobody looked for.
 *
 * @since 0.1.0
 * @category errors
 */
export class MockCoverageNotEnabled extends Schema.TaggedError<MockCoverageNotEnabled>()("MockCoverageNotEnabled", {}) {
  get detail(): string {
    return "coverage needs the mock started with coverage: true"
  }
  override get message(): string {
    return `mock server: ${this.detail}`
  }
}

/**
 * The coverage report of `coverageFile` could not be written when the mock
 * stopped (a report that cannot be written must not pass silently): the path
 * and the platform's reason (`PermissionDenied`, `NotFound`, ...). It is the
 * defect of the closing scope: `stop()` rejects with it.
 *
 * @since 0.1.0
 * @category errors
 */
export class MockCoverageNotWritten extends Schema.TaggedError<MockCoverageNotWritten>()("MockCoverageNotWritten", {
  path: Schema.String,
  reason: Schema.String
}) {
  get detail(): string {
    return `cannot write the coverage report to ${this.path} (${this.reason})`
  }
  override get message(): string {
    return `mock server: ${this.detail}`
  }
}

/**
 * Why a mock did not start.
 *
 * @since 0.1.0
 * @category errors
 */
export type MockServerError = MockInvalidOptions | MockCannotListen
