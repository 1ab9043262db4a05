/**
 * The one exit path, in-process: every command returns its exit code, and
 * SIGINT/SIGTERM reach it as the `Signals` service (sent here by the test,
 * by `main.ts` from the process in the built program). A command the signal
 * interrupts (`accounts get`, `contract`) aborts its request and returns
 * 130/143; a command whose normal end is the signal (`mock`, `contract
 * proxy`) finishes (reports, summary) and returns its verdict's code. A bug
 * of ours is exit 4 with one line, the key scrubbed. Every step is awaited
 * on the event itself (the startup line, the request's arrival, the socket's
 * close), never on a sleep. The spawned program's signals are
 * integration/signals.test.ts.
 */
import type { Socket } from "node:net"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import * as MockServer from "@postpress/testkit/MockServer"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import { loopback } from "../../client/test/support/server.js"
import { ExitCode, type Signal } from "../src/internal/exitCode.js"
import * as Signals from "../src/internal/signals.js"
import { inProcess } from "./support/inProcess.js"
import { accountStatus, oneLine } from "./support/program.js"

/** Starts `postpress ...args` in-process; hands back its first stdout line, a way to signal it, and its end. */
const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const signals = yield* Signals.make
    const firstLine = yield* Deferred.make<string>()
    const run = yield* Effect.fork(
      inProcess(args, {
        env,
        signals: signals.layer,
        onStdout: (line) => Effect.asVoid(Deferred.succeed(firstLine, line))
      })
    )
    return {
      firstLine: Deferred.await(firstLine),
      send: signals.send,
      done: Fiber.join(run)
    }
  })

/** A server that takes requests and never answers; `arrived` completes with the first request's socket. */
const silentServer = Effect.gen(function* () {
  const arrived = yield* Deferred.make<Socket>()
  const server = yield* loopback((req) => Deferred.unsafeDone(arrived, Effect.succeed(req.socket)))
  return { origin: server.origin, arrived: Deferred.await(arrived) }
})

/** Completes once `socket` is closed (the program aborted its request). */
const closed = (socket: Socket) =>
  Effect.async<void>((resume) => {
    if (socket.destroyed) return resume(Effect.void)
    socket.once("close", () => resume(Effect.void))
  })

const KEY = "pp_test_signal_key_1234"

describe("a signal interrupts accounts get and contract: the request is aborted, exit 130/143", () => {
  const cases: ReadonlyArray<readonly [Signal, number]> = [
    ["SIGINT", 130],
    ["SIGTERM", 143]
  ]
  for (const [signal, code] of cases) {
    it.live(`accounts get: ${signal} → ${code}`, () =>
      Effect.gen(function* () {
        const server = yield* silentServer
        const program = yield* start(["accounts", "get", "--base-url", server.origin, "--timeout", "1m", "acc_1"], {
          POSTPRESS_API_KEY: KEY
        })
        const socket = yield* server.arrived
        yield* program.send(signal)
        const result = yield* program.done
        yield* closed(socket)
        expect(result).toMatchObject({ code, stdout: "" })
      }).pipe(Effect.scoped)
    )

    it.live(`contract: ${signal} → ${code}`, () =>
      Effect.gen(function* () {
        const server = yield* silentServer
        const program = yield* start(
          ["contract", "--base-url", server.origin, "--account-id", "acc_1", "--timeout", "1m"],
          { POSTPRESS_API_KEY: KEY }
        )
        const socket = yield* server.arrived
        yield* program.send(signal)
        const result = yield* program.done
        yield* closed(socket)
        expect(result.code).toBe(code)
        expect(result.stderr).not.toMatch(/\n\s+at /)
      }).pipe(Effect.scoped)
    )
  }
})

describe("a signal is the normal end of mock and contract proxy: they finish and exit with their verdict", () => {
  it.live("mock: SIGTERM writes the coverage, names the gaps and exits 1 for a required kind left", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const file = `${dir}/coverage/c.json`
      const program = yield* start(["mock", "--coverage", file, "--require-coverage", "types"])
      const info = JSON.parse(yield* program.firstLine) as {
        readonly url: string
        readonly apiKey: string
        readonly accountIds: ReadonlyArray<string>
      }
      const status = yield* Effect.promise(() => accountStatus(info.url, info.accountIds[0]!, info.apiKey))
      expect(status).toBe(200)
      yield* program.send("SIGTERM")
      const result = yield* program.done
      expect(result.code).toBe(ExitCode.coverageGap)
      const report = JSON.parse(yield* fs.readFileString(file)) as { readonly seen: { readonly requests: number } }
      expect(report.seen.requests).toBe(1)
      expect(result.stderr).toMatch(/^postpress mock: 13 coverage gaps remain \(--require-coverage types\)$/m)
      // The run ends by saying where its report went.
      expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(`reports: ${file}`)
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )

  it.live("mock: SIGINT with no coverage asked for is exit 0, its one startup line on stderr and nothing else", () =>
    Effect.gen(function* () {
      const program = yield* start(["mock"])
      const info = JSON.parse(yield* program.firstLine) as { readonly url: string }
      yield* program.send("SIGINT")
      const result = yield* program.done
      expect(result.code).toBe(ExitCode.ok)
      expect(result.stderr).toMatch(
        new RegExp(
          `^mock on ${info.url} — test key pp_mock_0_… \\(--print key\\) — 15 accounts \\(14 types\\)[^\n]*\n$`
        )
      )
    })
  )

  it.live("contract proxy: SIGTERM stops it, writes the reports, prints the summary, exits with the verdict (0)", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const mock = yield* MockServer.make({ seed: 3 })
      const program = yield* start(["contract", "proxy", "--target", mock.url, "--json", `${dir}/proxy.json`])
      const { url } = JSON.parse(yield* program.firstLine) as { readonly url: string }
      const ws = mock.workspaces[0]!
      const status = yield* Effect.promise(() => accountStatus(url, ws.accountIds[0]!, ws.apiKey))
      expect(status).toBe(200)
      yield* program.send("SIGTERM")
      const result = yield* program.done
      expect(result.code).toBe(ExitCode.ok)
      expect(result.stderr).toMatch(/^postpress contract proxy: PASS/m)
      const report = JSON.parse(yield* fs.readFileString(`${dir}/proxy.json`)) as { readonly verdict: string }
      expect(report.verdict).toBe("pass")
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )

  it.live("contract proxy: SIGINT with nothing judged is inconclusive, exit 4 (not 130)", () =>
    Effect.gen(function* () {
      const program = yield* start(["contract", "proxy", "--target", "http://127.0.0.1:9/api"])
      yield* program.firstLine
      yield* program.send("SIGINT")
      const result = yield* program.done
      expect(result.code).toBe(ExitCode.inconclusive)
      expect(result.stderr).toMatch(/^postpress contract proxy: INCONCLUSIVE/m)
    })
  )
})

describe("a bug of ours", () => {
  it.live("is exit 4 with one line naming it an internal error, the key scrubbed", () =>
    Effect.gen(function* () {
      const key = "pp_live_internal_error_key_123456"
      // A file system that breaks the program's own assumptions: reading dies (a defect, not a failure).
      const broken = Layer.succeed(
        FileSystem.FileSystem,
        FileSystem.makeNoop({
          readFileString: (path) => Effect.die(new Error(`cannot happen while reading ${path} with ${key}`))
        })
      )
      const result = yield* inProcess(["contract", "har", "recording.har"], {
        env: { POSTPRESS_API_KEY: key },
        fileSystem: broken
      })
      expect(result.code).toBe(ExitCode.internalError)
      expect(result.stdout).toBe("")
      expect(oneLine(result.stderr)).toBe(
        "postpress contract har: internal error: cannot happen while reading recording.har with ***"
      )
    })
  )
})
