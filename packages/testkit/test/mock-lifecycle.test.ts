/**
 * The mock's life in a `Scope`: `make` listens until its scope closes,
 * `layer`/`layerConfig` while theirs is open, `startMockServer` until
 * `stop()` disposes of its runtime. Its failures are typed (`MockInvalidOptions`,
 * `MockCannotListen`, `MockCoverageNotEnabled`, `MockCoverageNotWritten`),
 * and the coverage report goes through the `FileSystem` in context (a fake
 * one here, to see what is written and when, and to make writing fail).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SystemError } from "@effect/platform/Error"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it, layer } from "@effect/vitest"
import { AccountsApi } from "@postpress/schema"
import * as Cause from "effect/Cause"
import * as EffectConfig from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as MockCoverage from "../src/MockCoverage.js"
import * as MockServer from "../src/MockServer.js"

/** The status of GET /v1/accounts/{id} with the workspace's key, or the transport's failure. */
const status = (mock: MockServer.MockServerInfo, workspace = 0) =>
  Effect.gen(function* () {
    const ws = mock.workspaces[workspace]!
    const response = yield* HttpClient.get(`${mock.url}/v1/accounts/${ws.accountIds[0]}`, {
      headers: { [AccountsApi.apiKeyHeader]: ws.apiKey }
    })
    return response.status
  }).pipe(Effect.provide(FetchHttpClient.layer))

/** A file system that records every write and allows `access` unless told otherwise. */
const recordingFileSystem = (writes: Ref.Ref<ReadonlyArray<{ path: string; text: string }>>, accessible = true) =>
  FileSystem.layerNoop({
    access: (path) =>
      accessible
        ? Effect.void
        : Effect.fail(
            new SystemError({
              reason: "PermissionDenied",
              module: "FileSystem",
              method: "access",
              pathOrDescriptor: path
            })
          ),
    writeFileString: (path, text) => Ref.update(writes, (all) => [...all, { path, text }])
  })

const decodeReport = Schema.decodeUnknownSync(Schema.parseJson(MockCoverage.Report))

layer(Layer.provide(MockServer.layer({ seed: 5, coverage: true }), NodeFileSystem.layer))("MockServer.layer", (it) => {
  it.effect("serves while the layer's scope is open, and coverage counts what it served", () =>
    Effect.gen(function* () {
      const mock = yield* MockServer.MockServer
      expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(yield* status(mock)).toBe(200)
      const report = yield* mock.coverage
      expect(report.seen.requests).toBeGreaterThanOrEqual(1)
      expect(report.seen.workspaces[0]!.requests).toBe(report.seen.requests)
    })
  )
})

describe("MockServer.make", () => {
  it.effect("listens until its scope closes; then the port is closed", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const mock = yield* Scope.extend(MockServer.make({ seed: 1 }), scope)
      expect(yield* status(mock)).toBe(200)
      yield* Scope.close(scope, Exit.void)
      const after = yield* Effect.exit(status(mock))
      expect(Exit.isFailure(after)).toBe(true)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("without coverage: true, coverage fails with MockCoverageNotEnabled", () =>
    Effect.gen(function* () {
      const mock = yield* MockServer.make()
      const refused = yield* Effect.flip(mock.coverage)
      expect(refused).toBeInstanceOf(MockServer.MockCoverageNotEnabled)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("a port already taken is MockCannotListen with the host, the port and the system's code", () =>
    Effect.gen(function* () {
      const first = yield* MockServer.make()
      const taken = Number(new URL(first.url).port)
      const busy = yield* Effect.flip(Effect.scoped(MockServer.make({ port: taken })))
      expect(busy).toBeInstanceOf(MockServer.MockCannotListen)
      expect(busy).toMatchObject({ _tag: "MockCannotListen", host: "127.0.0.1", port: taken, code: "EADDRINUSE" })
      expect(busy.message).toBe(`mock server: cannot listen on 127.0.0.1:${taken}: the port is in use (EADDRINUSE)`)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})

describe("coverageFile, through the FileSystem in context", () => {
  it.effect(
    "is written once, when the scope closes, after the server stopped answering: everything served is in it",
    () =>
      Effect.gen(function* () {
        const writes = yield* Ref.make<ReadonlyArray<{ path: string; text: string }>>([])
        const started = yield* Deferred.make<MockServer.MockServerInfo>()
        // At the moment of writing, the mock must refuse connections: nothing served after the report was taken.
        const answeredDuringWrite = yield* Deferred.make<boolean>()
        const fileSystem = FileSystem.layerNoop({
          access: () => Effect.void,
          writeFileString: (path, text) =>
            Effect.gen(function* () {
              const probe = yield* Effect.exit(status(yield* Deferred.await(started)))
              yield* Deferred.succeed(answeredDuringWrite, Exit.isSuccess(probe))
              yield* Ref.update(writes, (all) => [...all, { path, text }])
            })
        })
        const scope = yield* Scope.make()
        const mock = yield* Scope.extend(MockServer.make({ coverageFile: "/reports/mock-coverage.json" }), scope).pipe(
          Effect.provide(fileSystem)
        )
        yield* Deferred.succeed(started, mock)
        expect(yield* status(mock)).toBe(200)
        expect(yield* Ref.get(writes)).toEqual([])
        yield* Scope.close(scope, Exit.void)
        expect(yield* Deferred.await(answeredDuringWrite)).toBe(false)
        const [written, ...more] = yield* Ref.get(writes)
        expect(more).toEqual([])
        expect(written!.path).toBe("/reports/mock-coverage.json")
        expect(decodeReport(written!.text).seen.requests).toBe(1)
        expect(written!.text).toBe(MockCoverage.toJson(yield* mock.coverage))
      })
  )

  it.effect("a directory that cannot be written is refused at start, before listening", () =>
    Effect.gen(function* () {
      const writes = yield* Ref.make<ReadonlyArray<{ path: string; text: string }>>([])
      const refused = yield* MockServer.make({ coverageFile: "/read-only/c.json" }).pipe(
        Effect.scoped,
        Effect.flip,
        Effect.provide(recordingFileSystem(writes, false))
      )
      expect(refused).toMatchObject({
        _tag: "MockInvalidOptions",
        issues: [
          {
            path: ["coverageFile"],
            message: 'expected a file in an existing, writable directory, got "/read-only/c.json"'
          }
        ]
      })
      expect(yield* Ref.get(writes)).toEqual([])
    })
  )

  it.effect(
    "a write that fails is the defect of the closing scope: MockCoverageNotWritten with the path and the reason",
    () =>
      Effect.gen(function* () {
        const failing = FileSystem.layerNoop({
          access: () => Effect.void,
          writeFileString: (path) =>
            Effect.fail(
              new SystemError({
                reason: "PermissionDenied",
                module: "FileSystem",
                method: "writeFile",
                pathOrDescriptor: path
              })
            )
        })
        const scope = yield* Scope.make()
        yield* Scope.extend(MockServer.make({ coverageFile: "/reports/c.json" }), scope).pipe(Effect.provide(failing))
        const closed = yield* Effect.exit(Scope.close(scope, Exit.void))
        const defect = Exit.isFailure(closed) ? Option.getOrUndefined(Cause.dieOption(closed.cause)) : undefined
        expect(defect).toBeInstanceOf(MockServer.MockCoverageNotWritten)
        expect(defect).toMatchObject({ path: "/reports/c.json", reason: "PermissionDenied" })
      })
  )
})

describe("MockServer.layerConfig", () => {
  const fromEnv = (env: Record<string, string>) =>
    Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  const mockLayer = MockServer.layerConfig({
    port: EffectConfig.integer("MOCK_PORT").pipe(EffectConfig.withDefault(0)),
    seed: EffectConfig.integer("MOCK_SEED")
  }).pipe(Layer.provide(NodeFileSystem.layer))

  it.effect("reads its options from Config and decodes them like any other: the same fixtures as make", () =>
    Effect.gen(function* () {
      const fromConfig = yield* MockServer.MockServer.pipe(
        Effect.provide(Layer.provide(mockLayer, fromEnv({ MOCK_SEED: "7" })))
      )
      const direct = yield* Effect.scoped(MockServer.make({ seed: 7 }))
      expect(fromConfig.workspaces).toEqual(direct.workspaces)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.effect("a value the Schema refuses is MockInvalidOptions with the same message; a missing one a ConfigError", () =>
    Effect.gen(function* () {
      const refused = yield* Effect.flip(
        MockServer.MockServer.pipe(
          Effect.provide(Layer.provide(mockLayer, fromEnv({ MOCK_SEED: "7", MOCK_PORT: "70000" })))
        )
      )
      expect(refused).toMatchObject({
        _tag: "MockInvalidOptions",
        issues: [{ path: ["port"], message: "expected a port, an integer from 0 to 65535 (0: a free one), got 70000" }]
      })
      const missing = yield* Effect.flip(
        MockServer.MockServer.pipe(Effect.provide(Layer.provide(mockLayer, fromEnv({}))))
      )
      expect(missing._tag === "ConfigError" && ConfigError.isMissingDataOnly(missing)).toBe(true)
    })
  )
})

describe("startMockServer (the Promise form)", () => {
  it("rejects with the typed error itself, never a fiber failure wrapping it", async () => {
    await expect(MockServer.startMockServer({ faultRate: 2 })).rejects.toBeInstanceOf(MockServer.MockInvalidOptions)
    const first = await MockServer.startMockServer()
    try {
      const busy = MockServer.startMockServer({ port: Number(new URL(first.url).port) })
      await expect(busy).rejects.toBeInstanceOf(MockServer.MockCannotListen)
    } finally {
      await first.stop()
    }
  })

  it("stop() rejects with MockCoverageNotWritten when the report cannot be written; coverage() still answers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mock-lifecycle-"))
    const mock = await MockServer.startMockServer({ coverageFile: join(dir, "c.json") })
    rmSync(dir, { recursive: true, force: true })
    await expect(mock.stop()).rejects.toMatchObject({ _tag: "MockCoverageNotWritten", reason: "NotFound" })
    // Idempotent: the same outcome, not a second attempt.
    await expect(mock.stop()).rejects.toBeInstanceOf(MockServer.MockCoverageNotWritten)
    expect((await mock.coverage()).seen.requests).toBe(0)
  })
})
