/**
 * A faithful mock of the postpress accounts API for tests and local work:
 * the `HttpApi` contract from `@postpress/schema` served on 127.0.0.1 with
 * seeded workspaces, spec-exact errors and scriptable faults.
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
 * 429/retry/unknown-field behaviours), and `coverage()` tells a service's
 * tests what they never met (see `MockCoverage`).
 *
 * @since 0.1.0
 */
import { createServer } from "node:http"
import { dirname } from "node:path"
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type { Account } from "@postpress/schema"
import { ErrorCatalogue } from "@postpress/schema"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import { makeRecorder } from "./internal/mock/coverage.js"
import * as MockCoverage from "./internal/mock/coverageReport.js"
import { headers as faultHeaders } from "./internal/mock/faults.js"
import { makeWorkspaces } from "./internal/mock/fixtures.js"
import { prepare, serveLayer, type Tamper } from "./internal/mock/server.js"

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
 * account carries fields no spec version defines).
 *
 * @since 0.1.0
 * @category constants
 */
export const headers = faultHeaders

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 0 (the default) picks a free port. */
  readonly port?: number | undefined
  /** Fixtures and random faults derive from it; default 42. */
  readonly seed?: number | undefined
  /** Number of workspaces, at least 2 (default 2). */
  readonly workspaces?: number | undefined
  /** Probability (0–1) that a request gets a random fault; default 0. */
  readonly faultRate?: number | undefined
  /** Statuses random faults draw from; default `[503, 504]`. */
  readonly faults?: ReadonlyArray<ErrorCatalogue.ErrorStatus> | undefined
  /** Added before every API answer, e.g. `"50 millis"` or `50` (ms). */
  readonly latency?: Duration.DurationInput | undefined
  /** Seconds for a `Retry-After` header on fault responses. */
  readonly retryAfter?: number | undefined
  /**
   * Rewrites responses after the mock computed them: for building
   * deliberately broken servers in contract self-tests.
   */
  readonly tamper?: Tamper | undefined
  /**
   * Count what is served, per workspace key, for {@link MockServerInfo.coverage}
   * (default off; costs a few percent of throughput).
   */
  readonly coverage?: boolean | undefined
  /**
   * Write the coverage report (`MockCoverage.toJson`) to this file when the
   * mock stops (`stop()`, or the layer's scope closing); implies `coverage`.
   * Its directory must exist and be writable when the mock starts.
   */
  readonly coverageFile?: string | undefined
}

/**
 * The fixtures of one workspace.
 *
 * @since 0.1.0
 * @category models
 */
export interface WorkspaceFixture {
  readonly apiKey: string
  readonly accountIds: ReadonlyArray<string>
  /** The same accounts with their type, so a test can ask for a type on purpose. */
  readonly accounts: ReadonlyArray<{ readonly id: string; readonly type: Account.AccountType }>
}

/**
 * A listening mock.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockServerInfo {
  /** Base URL; append `/v1/accounts/{id}`. */
  readonly url: string
  /** Workspace 0 holds every provider type and the spec's example account. */
  readonly workspaces: ReadonlyArray<WorkspaceFixture>
  /**
   * What was served so far and what never was. Throws a
   * {@link MockServerError} when the mock was started without `coverage: true`
   * (an empty report would claim gaps that were never looked for).
   */
  readonly coverage: () => MockCoverage.Report
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RunningMockServer extends MockServerInfo {
  /** Stops listening and closes open connections; idempotent. */
  readonly stop: () => Promise<void>
}

/**
 * The running mock, for Effect users.
 *
 * @since 0.1.0
 * @category tags
 */
export class MockServer extends Context.Tag("@postpress/testkit/MockServer")<MockServer, MockServerInfo>() {}

/**
 * The mock could not start: `InvalidOptions` (the message names the option)
 * or `CannotListen` (the port is taken, the address is not available, ...).
 *
 * @since 0.1.0
 * @category errors
 */
export class MockServerError extends Schema.TaggedError<MockServerError>()("MockServerError", {
  reason: Schema.Literal("InvalidOptions", "CannotListen"),
  message: Schema.String
}) {}

const validate = (options: Options): string | undefined => {
  const { port = 0, seed = 42, workspaces = 2, faultRate = 0, retryAfter } = options
  if (!Number.isInteger(port) || port < 0 || port > 65535) return `port must be an integer 0–65535, got ${port}`
  if (!Number.isSafeInteger(seed)) return `seed must be an integer, got ${seed}`
  if (!Number.isInteger(workspaces) || workspaces < 2 || workspaces > 8) return "workspaces must be 2–8"
  if (!(faultRate >= 0 && faultRate <= 1)) return `faultRate must be between 0 and 1, got ${faultRate}`
  if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && retryAfter >= 0)) {
    return `retryAfter must be a non-negative integer (seconds), got ${retryAfter}`
  }
  const undocumented = (options.faults ?? []).filter((s) => !ErrorCatalogue.isErrorStatus(s))
  if (undocumented.length > 0) {
    return `faults must be documented error statuses (${ErrorCatalogue.errorStatuses.join(", ")}), got ${undocumented.join(", ")}`
  }
  const latency = Duration.decodeUnknown(options.latency ?? 0)
  if (latency._tag === "None" || !Duration.isFinite(latency.value)) return "latency must be a finite duration"
  return undefined
}

/**
 * The mock as a Layer: listens while the layer's scope is open.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<MockServer, MockServerError> =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const problem = validate(options)
      if (problem !== undefined) {
        return yield* new MockServerError({ reason: "InvalidOptions", message: `mock server: ${problem}` })
      }
      const seed = options.seed ?? 42
      const workspaces = makeWorkspaces(seed, options.workspaces ?? 2)
      const coverageFile = options.coverageFile
      if (coverageFile !== undefined) {
        const fs = yield* FileSystem.FileSystem
        const writable = yield* Effect.orElseSucceed(
          Effect.as(fs.access(dirname(coverageFile), { writable: true }), true),
          () => false
        )
        if (!writable) {
          return yield* new MockServerError({
            reason: "InvalidOptions",
            message: `mock server: coverageFile ${coverageFile}: its directory is missing or not writable`
          })
        }
      }
      const recorder = options.coverage === true || coverageFile !== undefined ? makeRecorder(workspaces) : undefined
      const server = prepare(createServer(), recorder)
      const info = Layer.scoped(
        MockServer,
        Effect.gen(function* () {
          const { address } = yield* HttpServer.HttpServer
          // Runs before the platform's `server.close()`, which would otherwise wait for keep-alive sockets.
          yield* Effect.addFinalizer(() => Effect.sync(() => server.closeAllConnections()))
          const port = address._tag === "TcpAddress" ? address.port : 0
          if (coverageFile !== undefined && recorder !== undefined) {
            // A report that cannot be written must not pass silently: stop() rejects with the cause.
            yield* Effect.addFinalizer(() =>
              Effect.flatMap(FileSystem.FileSystem, (fs) =>
                fs.writeFileString(coverageFile, MockCoverage.toJson(MockCoverage.fromSnapshot(recorder.snapshot())))
              ).pipe(Effect.provide(NodeFileSystem.layer), Effect.orDie)
            )
          }
          return {
            url: `http://127.0.0.1:${port}`,
            workspaces: workspaces.map((ws) => ({
              apiKey: ws.apiKey,
              accountIds: ws.accounts.map((a) => a.id),
              accounts: ws.accounts.map((a) => ({ id: a.id, type: a.type }))
            })),
            coverage: () => {
              if (recorder === undefined) {
                throw new MockServerError({
                  reason: "InvalidOptions",
                  message: "mock server: coverage() needs the mock started with coverage: true"
                })
              }
              return MockCoverage.fromSnapshot(recorder.snapshot())
            }
          }
        })
      )
      const serve = serveLayer({
        workspaces,
        faults: {
          seed,
          rate: options.faultRate ?? 0,
          statuses: options.faults ?? [503, 504],
          retryAfter: options.retryAfter
        },
        latency: Duration.decode(options.latency ?? 0),
        tamper: options.tamper,
        recorder
      })
      const listen = NodeHttpServer.layer(() => server, { port: options.port ?? 0, host: "127.0.0.1" }).pipe(
        Layer.mapError((error) => {
          const cause = error.cause instanceof Error ? error.cause.message : String(error.cause)
          return new MockServerError({
            reason: "CannotListen",
            message: `mock server: cannot listen on 127.0.0.1:${options.port ?? 0}: ${cause}`
          })
        })
      )
      return Layer.merge(info, serve).pipe(Layer.provide(listen))
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

/**
 * Starts a mock and resolves once it listens; rejects with a
 * {@link MockServerError} when it cannot.
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
export const startMockServer = async (options: Options = {}): Promise<RunningMockServer> => {
  const scope = Effect.runSync(Scope.make())
  const built = await Effect.runPromiseExit(Layer.buildWithScope(layer(options), scope))
  if (Exit.isFailure(built)) {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    // The MockServerError itself, not a fiber failure wrapping it.
    throw Cause.squash(built.cause)
  }
  const info = Context.get(built.value, MockServer)
  let stopping: Promise<void> | undefined
  return {
    ...info,
    stop: () => {
      stopping ??= Effect.runPromise(Scope.close(scope, Exit.void))
      return stopping
    }
  }
}
