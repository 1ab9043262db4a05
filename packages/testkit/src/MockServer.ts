/**
 * A faithful mock of the postpress accounts API for tests and local work:
 * the `HttpApi` contract from `@postpress/schema` served on 127.0.0.1 with
 * seeded workspaces, spec-exact errors and scriptable faults.
 *
 * Its life is a `Scope`: {@link make} starts it in the current scope,
 * {@link layer} while the layer's scope is open; {@link startMockServer} is
 * the same for Promise code (a `ManagedRuntime` whose disposal is `stop()`).
 * Its options are ONE Schema, {@link Config}, decoded once.
 *
 * @example
 * ```ts
 * import { MockServer } from "@postpress/testkit"
 *
 * const mock = await MockServer.startMockServer({ seed: 42 })
 * const [ws] = mock.workspaces
 * const res = await fetch(`${mock.url}/v1/accounts/${ws.accountIds[0]}`, { headers: { "X-API-KEY": ws.apiKey } })
 * await mock.stop()
 * ```
 *
 * With `coverage: true` it counts what it served (account types, error types,
 * 429/retry/unknown-field behaviours), and `coverage` tells a service's
 * tests what they never met (see `MockCoverage`).
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Cause from "effect/Cause"
import * as EffectConfig from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import type * as Scope from "effect/Scope"
import * as MockConfig from "./internal/mock/config.js"
import type * as CoverageReport from "./internal/mock/coverageReport.js"
import type { MockServerError } from "./internal/mock/errors.js"
import { headers as faultHeaders } from "./internal/mock/faults.js"
import * as Lifecycle from "./internal/mock/lifecycle.js"

export type {
  /**
   * @since 0.1.0
   * @category errors
   */
  MockServerError
} from "./internal/mock/errors.js"
export {
  /**
   * @since 0.1.0
   * @category errors
   */
  MockCannotListen,
  /**
   * @since 0.1.0
   * @category errors
   */
  MockCoverageNotEnabled,
  /**
   * @since 0.1.0
   * @category errors
   */
  MockCoverageNotWritten,
  /**
   * @since 0.1.0
   * @category errors
   */
  MockInvalidOptions,
  /**
   * @since 0.1.0
   * @category models
   */
  OptionIssue
} from "./internal/mock/errors.js"
export type {
  /**
   * @since 0.1.0
   * @category models
   */
  MockServerInfo,
  /**
   * @since 0.1.0
   * @category models
   */
  Service,
  /**
   * @since 0.1.0
   * @category models
   */
  WorkspaceFixture
} from "./internal/mock/lifecycle.js"
export type {
  /**
   * @since 0.1.0
   * @category models
   */
  Exchange,
  /**
   * @since 0.1.0
   * @category models
   */
  Tamper
} from "./internal/mock/server.js"

/**
 * The per-request fault headers (see the README): `x-mock-fault` (a script
 * such as `503,503,200`; `429` for Too Many Requests), `x-mock-sequence`,
 * `x-mock-retry-after`, `x-mock-delay`, `x-mock-extra-fields` (`1`: the
 * account carries fields no spec version defines), `x-mock-unknown-type`
 * (`1`: the account comes as a provider type none of the 14,
 * `MOCK_LATER_PROVIDER`).
 *
 * @since 0.1.0
 * @category constants
 */
export const headers = faultHeaders

/**
 * The mock's options as ONE Schema: {@link make}, {@link layer},
 * {@link layerConfig}, {@link startMockServer} and the CLI's `postpress mock`
 * decode into it, so a rule and its message are written once. Decoding
 * applies the defaults (port 0: a free one; seed 42; 2 workspaces; no random
 * faults, drawn from 503 and 504 when there are; no latency; coverage off)
 * and checks every value; a value it refuses becomes a
 * {@link MockInvalidOptions} issue naming the option with the rule's message
 * (`port: expected a port, an integer from 0 to 65535 (0: a free one), got
 * 70000`). Encoded, it is {@link Options}. A class: a config decoded already
 * (an instance) is what {@link make}, {@link layer} and
 * {@link startMockServer} take as it is, without decoding it again.
 *
 * ```ts
 * import { MockServer } from "@postpress/testkit"
 * import { Duration, Schema } from "effect"
 *
 * const config = Schema.decodeUnknownSync(MockServer.Config)({ seed: 7, latency: "50 millis" })
 * config.port // 0
 * Duration.toMillis(config.latency) // 50
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const Config: typeof MockConfig.Config = MockConfig.Config

/**
 * Decoded options: defaults applied, the latency as a `Duration`.
 *
 * @since 0.1.0
 * @category config
 */
export type Config = MockConfig.Config

/**
 * The options as callers write them (every one optional): `port`, `seed`,
 * `workspaces` (2–8), `faultRate` (0–1), `faults` (documented error
 * statuses), `latency` (any `Duration.DurationInput`), `retryAfter`
 * (seconds), `tamper`, `coverage`, `coverageFile`.
 *
 * @since 0.1.0
 * @category config
 */
export interface Options extends MockConfig.Options {}

/**
 * The running mock, for Effect users.
 *
 * @since 0.1.0
 * @category tags
 */
export class MockServer extends Context.Tag("@postpress/testkit/MockServer")<MockServer, Lifecycle.Service>() {}

/**
 * Starts a mock in the current scope and returns it once it listens; it
 * stops when the scope closes (listener closed, keep-alive connections
 * dropped, then `coverageFile` written with the `FileSystem` in context).
 * Fails with {@link MockInvalidOptions} or {@link MockCannotListen}.
 *
 * ```ts
 * import { NodeFileSystem } from "@effect/platform-node"
 * import { MockServer } from "@postpress/testkit"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const mock = yield* MockServer.make({ seed: 7 })
 *   return mock.workspaces.length
 * }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  options?: Options | Config
) => Effect.Effect<Lifecycle.Service, MockServerError, Scope.Scope | FileSystem.FileSystem> = Lifecycle.make

/**
 * The mock as a Layer: listens while the layer's scope is open.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options | Config = {}
): Layer.Layer<MockServer, MockServerError, FileSystem.FileSystem> => Layer.scoped(MockServer, make(options))

/**
 * {@link layer} with its options read from Effect `Config` (the
 * environment, by default), decoded by {@link Config} like any other.
 *
 * ```ts
 * import { MockServer } from "@postpress/testkit"
 * import { Config } from "effect"
 *
 * const mock = MockServer.layerConfig({
 *   port: Config.integer("MOCK_PORT").pipe(Config.withDefault(0)),
 *   seed: Config.integer("MOCK_SEED").pipe(Config.withDefault(42))
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: EffectConfig.Config.Wrap<Options>
): Layer.Layer<MockServer, MockServerError | ConfigError.ConfigError, FileSystem.FileSystem> =>
  Layer.scoped(MockServer, Effect.flatMap(EffectConfig.unwrap(config), make))

/**
 * A listening mock, for Promise code.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunningMockServer extends Lifecycle.MockServerInfo {
  /**
   * What was served so far and what never was; rejects with
   * {@link MockCoverageNotEnabled} when the mock was started without
   * `coverage: true`. Still answers after `stop()`.
   */
  readonly coverage: () => Promise<CoverageReport.Report>
  /**
   * Stops listening and closes open connections (then writes `coverageFile`,
   * rejecting with `MockCoverageNotWritten` when it cannot); idempotent.
   */
  readonly stop: () => Promise<void>
}

/** The value of an exit, or its failure itself (not a fiber failure wrapping it). */
const settle = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

/**
 * Starts a mock and resolves once it listens; rejects with
 * {@link MockInvalidOptions} or {@link MockCannotListen} when it cannot.
 * The mock lives in a `ManagedRuntime` (with Node's file system); `stop()`
 * disposes of it.
 *
 * @example
 * ```ts
 * import { MockServer } from "@postpress/testkit"
 * import { afterAll } from "vitest"
 *
 * const mock = await MockServer.startMockServer({ seed: 7, faultRate: 0.1, retryAfter: 1 })
 * afterAll(() => mock.stop())
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const startMockServer = async (options: Options | Config = {}): Promise<RunningMockServer> => {
  const runtime = ManagedRuntime.make(Layer.provide(layer(options), NodeFileSystem.layer))
  const started = await runtime.runPromiseExit(MockServer)
  if (Exit.isFailure(started)) await runtime.dispose()
  const { url, workspaces, coverage } = settle(started)
  let stopping: Promise<void> | undefined
  return {
    url,
    workspaces,
    coverage: () => Effect.runPromiseExit(coverage).then(settle),
    stop: () => {
      stopping ??= Effect.runPromiseExit(runtime.disposeEffect).then(settle)
      return stopping
    }
  }
}
