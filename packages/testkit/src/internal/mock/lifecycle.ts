/**
 * A mock's life in a `Scope`: options decoded once, fixtures generated from
 * the seed, the HTTP server listening on 127.0.0.1 until the scope closes,
 * then (with `coverageFile`) the coverage report written through the
 * `FileSystem` in context.
 *
 * @since 0.1.0
 */
import { createServer, type Server } from "node:http"
import { dirname } from "node:path"
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { type Account, ConfigRules } from "@postpress/schema"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import { type Config, decode, type Options, records } from "./config.js"
import { makeRecorder, type Recorder } from "./coverage.js"
import * as CoverageReport from "./coverageReport.js"
import {
  MockCannotListen,
  MockCoverageNotEnabled,
  MockCoverageNotWritten,
  MockInvalidOptions,
  type MockServerError
} from "./errors.js"
import { makeWorkspaces, type Workspace } from "./fixtures.js"
import { prepare, serveLayer } from "./server.js"

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
 * Where a mock listens and what it holds: what a test needs to call it.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockServerInfo {
  /** Base URL; append `/v1/accounts/{id}`. */
  readonly url: string
  /** Workspace 0 holds every provider type and the spec's example account. */
  readonly workspaces: ReadonlyArray<WorkspaceFixture>
}

/**
 * A listening mock, for Effect users.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service extends MockServerInfo {
  /**
   * What was served so far and what never was; fails with
   * `MockCoverageNotEnabled` when the mock was started without
   * `coverage: true` (an empty report would claim gaps nobody looked for).
   */
  readonly coverage: Effect.Effect<CoverageReport.Report, MockCoverageNotEnabled>
}

/**
 * The only address the mock binds.
 *
 * @internal
 */
export const host = "127.0.0.1"

const fixturesOf = (workspaces: ReadonlyArray<Workspace>): ReadonlyArray<WorkspaceFixture> =>
  workspaces.map((ws) => ({
    apiKey: ws.apiKey,
    accountIds: ws.accounts.map((a) => a.id),
    accounts: ws.accounts.map((a) => ({ id: a.id, type: a.type }))
  }))

/** Refused at start, not discovered at the end: the directory of `coverageFile` must be writable. */
const checkWritable = (fs: FileSystem.FileSystem, file: string) =>
  Effect.mapError(
    fs.access(dirname(file), { writable: true }),
    () =>
      new MockInvalidOptions({
        issues: [
          {
            path: ["coverageFile"],
            message: `expected a file in an existing, writable directory, got ${ConfigRules.shown(file)}`
          }
        ]
      })
  )

/** A report that cannot be written must not pass silently: the defect of the closing scope. */
const writeCoverage = (fs: FileSystem.FileSystem, file: string, recorder: Recorder) =>
  fs
    .writeFileString(file, CoverageReport.toJson(CoverageReport.fromSnapshot(recorder.snapshot())))
    .pipe(
      Effect.orDieWith(
        (error) =>
          new MockCoverageNotWritten({ path: file, reason: error._tag === "SystemError" ? error.reason : error._tag })
      )
    )

const codeOf = (cause: unknown): string | undefined =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
    ? cause.code
    : undefined

const listen = (server: Server, port: number) =>
  NodeHttpServer.layer(() => server, { port, host }).pipe(
    Layer.mapError((error) => new MockCannotListen({ host, port, code: codeOf(error.cause) }))
  )

/**
 * Starts a mock in the current scope; it stops (listener closed, open
 * connections dropped, `coverageFile` written) when the scope closes.
 *
 * @internal
 */
export const make: (
  options?: Options | Config
) => Effect.Effect<Service, MockServerError, Scope.Scope | FileSystem.FileSystem> = Effect.fn("MockServer.make")(
  function* (options: Options | Config = {}) {
    const config = yield* decode(options)
    const fs = yield* FileSystem.FileSystem
    const { coverageFile } = config
    if (coverageFile !== undefined) yield* checkWritable(fs, coverageFile)
    const workspaces = makeWorkspaces(config.seed, config.workspaces)
    const recorder = records(config) ? makeRecorder(workspaces) : undefined
    const server = prepare(createServer(), recorder)
    const serve = serveLayer({
      workspaces,
      faults: { seed: config.seed, rate: config.faultRate, statuses: config.faults, retryAfter: config.retryAfter },
      latency: config.latency,
      tamper: config.tamper,
      recorder
    })
    // The server lives in its own scope, so the coverage report is written after it stopped answering.
    const serverScope = yield* Scope.fork(yield* Effect.scope, ExecutionStrategy.sequential)
    const context = yield* Layer.buildWithScope(Layer.provideMerge(serve, listen(server, config.port)), serverScope)
    // Runs before the platform's `server.close()`, which would otherwise wait for keep-alive sockets.
    yield* Scope.addFinalizer(
      serverScope,
      Effect.sync(() => server.closeAllConnections())
    )
    if (coverageFile !== undefined && recorder !== undefined) {
      yield* Effect.addFinalizer(() =>
        Effect.zipRight(Scope.close(serverScope, Exit.void), writeCoverage(fs, coverageFile, recorder))
      )
    }
    const { address } = Context.get(context, HttpServer.HttpServer)
    return {
      url: `http://${host}:${address._tag === "TcpAddress" ? address.port : 0}`,
      workspaces: fixturesOf(workspaces),
      coverage:
        recorder === undefined
          ? Effect.fail(new MockCoverageNotEnabled())
          : Effect.sync(() => CoverageReport.fromSnapshot(recorder.snapshot()))
    }
  }
)
