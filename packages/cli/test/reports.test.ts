/**
 * Report paths (`--json`, `--junit`, `--html`, `--har`): checked before the
 * run (folders made, nothing created or truncated, every refusal a typed
 * error naming the flag), and written after it, whatever fails (one failure
 * does not stop the others; `-` is stdout).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Reports from "../src/internal/reports.js"

const dir = mkdtempSync(join(tmpdir(), "postpress-reports-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const files = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer)

/** Runs `effect` with a Console whose stdout lines land in `stdout`. */
const capturing = <A, E, R>(effect: Effect.Effect<A, E, R>, stdout: Array<string>) =>
  Effect.consoleWith((console) =>
    Effect.withConsole(effect, {
      ...console,
      log: (...a: ReadonlyArray<unknown>) => Effect.sync(() => void stdout.push(a.join(" ")))
    })
  )

describe("Reports.prepare", () => {
  it.effect("creates parent folders and leaves no file behind", () =>
    Effect.gen(function* () {
      yield* Reports.prepare([
        { flag: "--json", path: join(dir, "a/b/report.json") },
        { flag: "--junit", path: undefined },
        { flag: "--html", path: "-" }
      ])
      expect(existsSync(join(dir, "a/b"))).toBe(true)
      expect(existsSync(join(dir, "a/b/report.json"))).toBe(false)
    }).pipe(Effect.provide(files))
  )

  it.effect("refuses what cannot be written, naming the flag and why", () =>
    Effect.gen(function* () {
      writeFileSync(join(dir, "plain-file"), "x")
      const refused = (reports: ReadonlyArray<Reports.ReportPath>) =>
        Effect.map(Effect.flip(Reports.prepare(reports)), (error) => [error._tag, error.message])
      expect(yield* refused([{ flag: "--json", path: join(dir, "plain-file/r.json") }])).toEqual([
        "ReportPathRefused",
        `cannot write --json ${join(dir, "plain-file/r.json")}: a folder on its path is a file`
      ])
      expect(yield* refused([{ flag: "--junit", path: dir }])).toEqual([
        "ReportPathRefused",
        `cannot write --junit ${dir}: it is a folder`
      ])
      expect(
        yield* refused([
          { flag: "--json", path: join(dir, "x.json") },
          { flag: "--html", path: join(dir, ".", "x.json") }
        ])
      ).toEqual(["ReportPathsClash", `--json and --html name the same file ${join(dir, ".", "x.json")}`])
      expect(
        yield* refused([
          { flag: "--json", path: "-" },
          { flag: "--junit", path: "-" }
        ])
      ).toEqual(["ReportPathsClash", "only one report can go to stdout (-); got --json, --junit"])
      expect(yield* refused([{ flag: "--json", path: "" }])).toEqual([
        "ReportPathRefused",
        '--json: expected a file path, got ""'
      ])
      expect(yield* refused([{ flag: "--html", path: "  " }])).toEqual([
        "ReportPathRefused",
        '--html: expected a file path, got "  "'
      ])
    }).pipe(Effect.provide(files))
  )

  it.effect.runIf(process.getuid?.() !== 0)("refuses a folder without write permission", () =>
    Effect.gen(function* () {
      const locked = join(dir, "locked")
      yield* Reports.prepare([{ flag: "--json", path: join(locked, "r.json") }])
      chmodSync(locked, 0o500)
      const error = yield* Effect.flip(Reports.prepare([{ flag: "--json", path: join(locked, "r.json") }])).pipe(
        Effect.ensuring(Effect.sync(() => chmodSync(locked, 0o700)))
      )
      expect(error.message).toMatch(/^cannot write --json .*r\.json: permission denied/)
    }).pipe(Effect.provide(files))
  )
})

describe("Reports.writeAll", () => {
  it.effect("writes every report even when one cannot be written, then names the failures", () =>
    Effect.gen(function* () {
      writeFileSync(join(dir, "blocker"), "x")
      const stdout: Array<string> = []
      const error = yield* Effect.flip(
        capturing(
          Reports.writeAll([
            { flag: "--json", path: join(dir, "blocker/r.json"), render: () => "{}" },
            { flag: "--junit", path: join(dir, "new/folder/r.xml"), render: () => "<testsuites/>" },
            { flag: "--html", path: undefined, render: () => expect.unreachable("not asked for") },
            { flag: "--har", path: "-", render: () => "to stdout\n" }
          ]),
          stdout
        )
      )
      expect(readFileSync(join(dir, "new/folder/r.xml"), "utf8")).toBe("<testsuites/>")
      expect(stdout).toEqual(["to stdout"])
      expect(error._tag).toBe("ReportsNotWritten")
      expect(error.failures.map((f) => f.flag)).toEqual(["--json"])
      expect(error.message).toMatch(/^cannot write --json .*blocker\/r\.json: a folder on its path is a file$/)
    }).pipe(Effect.provide(files))
  )

  it.effect.runIf(process.getuid?.() !== 0)("a platform refusal is named from its reason, not its message", () =>
    Effect.gen(function* () {
      const locked = join(dir, "locked-write")
      mkdirSync(locked, { recursive: true })
      chmodSync(locked, 0o500)
      const error = yield* Effect.flip(
        Reports.writeAll([{ flag: "--json", path: join(locked, "r.json"), render: () => "{}" }])
      ).pipe(Effect.ensuring(Effect.sync(() => chmodSync(locked, 0o700))))
      expect(error.failures[0]?.reason).toBe("permission denied")
    }).pipe(Effect.provide(files))
  )
})

describe("no report at all", () => {
  it.effect("nothing asked for: nothing checked, nothing written", () =>
    Effect.gen(function* () {
      const stdout: Array<string> = []
      yield* Reports.prepare([{ flag: "--json", path: undefined }])
      yield* capturing(Reports.writeAll([{ flag: "--json", path: undefined, render: () => "x" }]), stdout)
      expect(stdout).toEqual([])
    }).pipe(Effect.provide(files))
  )
})
