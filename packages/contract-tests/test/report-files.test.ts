/**
 * The report files a proxy session or a HAR run writes (`writeReports`,
 * through the platform `FileSystem`): each asked-for rendering is written;
 * one that cannot be written does not stop the others and is named in one
 * typed error with the platform's reason.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { toJunitXml } from "../src/ContractJunit.js"
import { fromJson, toJson } from "../src/ContractReport.js"
import { writeReports } from "../src/internal/render/files.js"
import * as Builder from "../src/internal/report/builder.js"

const report = Builder.make({
  baseUrl: "http://127.0.0.1:9/api",
  seed: 1,
  runs: 1,
  strict: false,
  startedAt: "2026-12-06T07:41:12.000Z"
}).finish({ durationMs: 10 })

describe("writeReports", () => {
  it.scoped("writes each rendering asked for, byte for byte", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* fs.makeTempDirectoryScoped()
      const files = { json: path.join(dir, "r.json"), junit: path.join(dir, "r.xml"), html: path.join(dir, "r.html") }
      yield* writeReports(report, files)
      const json = yield* fs.readFileString(files.json)
      expect(json).toBe(toJson(report))
      expect(yield* fromJson(json)).toEqual(report)
      expect(yield* fs.readFileString(files.junit)).toBe(toJunitXml(report))
      expect(yield* fs.readFileString(files.html)).toMatch(/^<!doctype html>/)
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.scoped("one that cannot be written: the others are, and ReportsNotWritten names it with its reason", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* fs.makeTempDirectoryScoped()
      const files = { json: path.join(dir, "r.json"), junit: path.join(dir, "missing", "r.xml") }
      const error = yield* Effect.flip(writeReports(report, files))
      expect(error._tag).toBe("ReportsNotWritten")
      expect(error.failures).toEqual([
        { report: "junit", path: files.junit, reason: "NotFound", detail: expect.stringContaining("ENOENT") }
      ])
      expect(error.message).toMatch(/^cannot write .*missing\/r\.xml: ENOENT/)
      expect(yield* fs.readFileString(files.json)).toBe(toJson(report))
    }).pipe(Effect.provide(NodeContext.layer))
  )
})
