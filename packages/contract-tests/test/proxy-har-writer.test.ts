/**
 * The proxy's HAR writer: entries go to disk through the platform
 * `FileSystem` in order, a slow disk holds writers back (bounded queue, no
 * unbounded memory; awaited on the disk's own signals, never on time), a
 * disk that fails never holds adders, and makes the session's report
 * inconclusive at best while every other report is still written.
 */

import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { SystemError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import { describe, expect, it } from "@effect/vitest"
import { SpecExample } from "@postpress/schema"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as ContractProxy from "../src/ContractProxy.js"
import * as HarWriter from "../src/internal/sources/proxy/harWriter.js"
import { send, startOrigin } from "./proxy-support.js"

const exchange = (i: number): HarWriter.HarExchange => ({
  startedAt: new Date(0),
  method: "GET",
  url: `http://127.0.0.1:1/api/v1/accounts/acc_${i}`,
  httpVersion: "1.1",
  requestRawHeaders: ["X-API-KEY", "pp_live_WRITER_0123456789"],
  status: 200,
  statusText: "OK",
  responseRawHeaders: ["content-type", "application/json"],
  body: Buffer.from(`{"id":"acc_${i}"}`),
  bodySize: 14,
  latencyMs: 1,
  judged: true,
  findings: []
})

/**
 * A file system whose entry writes wait for `gate` (a slow disk: the
 * preamble goes through) and land in `written`; `waiting` completes once a
 * write is held at the gate.
 */
const slowDisk = (gate: Deferred.Deferred<void>, waiting: Deferred.Deferred<void>, written: Array<string>) =>
  FileSystem.layerNoop({
    open: () =>
      Effect.succeed({
        writeAll: (bytes: Uint8Array) =>
          Effect.zipRight(
            written.length === 0
              ? Effect.void
              : Effect.zipRight(Deferred.succeed(waiting, undefined), Deferred.await(gate)),
            Effect.sync(() => {
              written.push(new TextDecoder().decode(bytes))
            })
          ),
        sync: Effect.void
      } as unknown as FileSystem.File)
  })

const mask = (text: string) => text.replaceAll("pp_live_WRITER_0123456789", "***")

/** What the writer takes before the disk answers: the entry in its hand and a full queue (4). */
const TAKEN_BEFORE_THE_DISK = 5

describe("HAR writer", () => {
  it.scoped("a slow disk holds adders back once the small queue is full, then writes every entry in order", () =>
    Effect.gen(function* () {
      const written: Array<string> = []
      const gate = yield* Deferred.make<void>()
      const diskWaiting = yield* Deferred.make<void>()
      const writer = yield* HarWriter.open("x.har", "0.1.0").pipe(Effect.provide(slowDisk(gate, diskWaiting, written)))
      const settled = yield* Ref.make(0)
      const allTaken = yield* Deferred.make<void>()
      // One adder, entry after entry: it stops at the first entry with no place to go.
      const adder = yield* Effect.fork(
        Effect.forEach(
          Array.from({ length: 20 }, (_, i) => i),
          (i) =>
            (writer.add(exchange(i), mask) ?? Effect.void).pipe(
              Effect.zipRight(Ref.updateAndGet(settled, (n) => n + 1)),
              Effect.tap((n) => (n === TAKEN_BEFORE_THE_DISK ? Deferred.succeed(allTaken, undefined) : Effect.void))
            ),
          { discard: true }
        )
      )
      yield* Deferred.await(diskWaiting)
      yield* Deferred.await(allTaken)
      // The sixth entry waits for the disk: the adder is held back, with 15 entries not taken.
      expect(yield* Ref.get(settled)).toBe(TAKEN_BEFORE_THE_DISK)
      expect(Option.isNone(yield* Fiber.poll(adder))).toBe(true)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(adder)
      yield* writer.close
      const har = JSON.parse(written.join(""))
      expect(har.log.entries.map((e: { request: { url: string } }) => e.request.url.split("/").pop())).toEqual(
        Array.from({ length: 20 }, (_, i) => `acc_${i}`)
      )
      expect(written.join("")).not.toContain("pp_live_WRITER_0123456789")
    })
  )

  it.scoped("a disk that fails: adders are never held on it, and close reports the failure", () =>
    Effect.gen(function* () {
      const diskFull = new SystemError({
        reason: "Unknown",
        module: "FileSystem",
        method: "write",
        description: "disk full"
      })
      const failing = FileSystem.layerNoop({
        open: () =>
          Effect.succeed({
            writeAll: (bytes: Uint8Array) =>
              new TextDecoder().decode(bytes).startsWith('{"log"') ? Effect.void : Effect.fail(diskFull),
            sync: Effect.void
          } as unknown as FileSystem.File)
      })
      const writer = yield* HarWriter.open("x.har", "0.1.0").pipe(Effect.provide(failing))
      // Far more entries than the queue holds: every add completes, the failed disk's entries are dropped.
      yield* Effect.forEach(
        Array.from({ length: 50 }, (_, i) => exchange(i)),
        (x) => writer.add(x, mask) ?? Effect.void,
        {
          discard: true
        }
      )
      const closed = yield* Effect.either(writer.close)
      expect(Either.isLeft(closed) && closed.left.message).toContain("disk full")
    })
  )

  it("a HAR that cannot be finished: the report is inconclusive and says why; the JSON report is still written", async () => {
    const origin = await startOrigin({
      "/api/v1/accounts/acc_1": (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ ...SpecExample.retrieveAccountResponse, id: "acc_1" }))
      }
    })
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "har-writer-"))
    const json = Path.join(dir, "r.json")
    const failingDisk = FileSystem.layerNoop({
      open: () =>
        Effect.succeed({
          writeAll: (bytes: Uint8Array) =>
            new TextDecoder().decode(bytes).startsWith('{"log"')
              ? Effect.void
              : Effect.fail(
                  new SystemError({
                    reason: "Unknown",
                    module: "FileSystem",
                    method: "write",
                    description: "disk full"
                  })
                ),
          sync: Effect.void
        } as unknown as FileSystem.File),
      writeFileString: (path: string, text: string) => Effect.sync(() => Fs.writeFileSync(path, text))
    })
    try {
      const report = await Effect.runPromise(
        ContractProxy.run(
          { target: `${origin.url}/api`, har: Path.join(dir, "t.har"), json, maxRequests: 1 },
          {
            onEvent: (event) =>
              event._tag === "Listening"
                ? Effect.sync(
                    () =>
                      void send(event.url, "/v1/accounts/acc_1", {
                        headers: { "X-API-KEY": "pp_live_WRITER_0123456789" }
                      })
                  )
                : Effect.void
          }
        ).pipe(Effect.provide(failingDisk))
      )
      expect(report.verdict).toBe("inconclusive")
      expect(report.inconclusiveReasons.at(-1)).toContain("the HAR could not be written")
      expect(JSON.parse(Fs.readFileSync(json, "utf8")).verdict).toBe("inconclusive")
    } finally {
      await origin.stop()
      Fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
