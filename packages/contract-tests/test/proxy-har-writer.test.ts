/**
 * The proxy's HAR writer: entries go to disk through the platform
 * `FileSystem` in order, a slow disk holds writers back (bounded queue, no
 * unbounded memory), and a disk that fails makes the session's report
 * inconclusive at best while every other report is still written.
 */

import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { SystemError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import { SpecExample } from "@postpress/schema"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
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

/** A file system whose writes wait for `gate` (a slow disk) and land in `written`. */
const slowDisk = (gate: Deferred.Deferred<void>, written: Array<string>) =>
  FileSystem.layerNoop({
    open: () =>
      Effect.succeed({
        writeAll: (bytes: Uint8Array) =>
          Effect.zipRight(
            written.length === 0 ? Effect.void : Deferred.await(gate),
            Effect.sync(() => {
              written.push(new TextDecoder().decode(bytes))
            })
          ),
        sync: Effect.void
      } as unknown as FileSystem.File)
  })

describe("HAR writer", () => {
  it("a slow disk holds adders back once the small queue is full, then writes every entry in order", async () => {
    const written: Array<string> = []
    const result = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const gate = yield* Deferred.make<void>()
          const writer = yield* HarWriter.open("x.har", "0.1.0").pipe(Effect.provide(slowDisk(gate, written)))
          const mask = (text: string) => text.replaceAll("pp_live_WRITER_0123456789", "***")
          let settled = 0
          const adds = Array.from({ length: 20 }, (_, i) => writer.add(exchange(i), mask).then(() => settled++))
          yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
          const heldBack = 20 - settled
          yield* Deferred.succeed(gate, undefined)
          yield* Effect.promise(() => Promise.all(adds))
          yield* writer.close
          return { heldBack }
        })
      )
    )
    // The queue holds a few entries (and the writer one in hand): the rest waited for the disk.
    expect(result.heldBack).toBeGreaterThanOrEqual(10)
    const har = JSON.parse(written.join(""))
    expect(har.log.entries.map((e: { request: { url: string } }) => e.request.url.split("/").pop())).toEqual(
      Array.from({ length: 20 }, (_, i) => `acc_${i}`)
    )
    expect(written.join("")).not.toContain("pp_live_WRITER_0123456789")
  })

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
        ContractProxy.run({
          target: `${origin.url}/api`,
          har: Path.join(dir, "t.har"),
          json,
          maxRequests: 1,
          onListening: (url) =>
            void send(url, "/v1/accounts/acc_1", { headers: { "X-API-KEY": "pp_live_WRITER_0123456789" } })
        }).pipe(Effect.provide(failingDisk))
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
