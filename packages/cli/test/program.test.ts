/**
 * What every `postpress` command shares: plain-text `--help` when stdout is
 * not a terminal, `--version`, one-line usage errors with exit 2, and the
 * one duration grammar.
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import { describe, expect, it } from "vitest"
import * as DurationFlag from "../src/internal/duration.js"
import { version } from "../src/internal/version.js"
import { bin, oneLine, run } from "./support/program.js"

const ESC = "\u001b"

describe.concurrent("postpress", () => {
  it("--help is plain text for every command when stdout is not a terminal, with or without NO_COLOR", async () => {
    const runs = await Promise.all([
      run(["--help"]),
      run(["--help"], { NO_COLOR: undefined }),
      run(["accounts", "get", "--help"], { NO_COLOR: undefined }),
      run(["contract", "--help"]),
      run(["mock", "--help"])
    ])
    for (const result of runs) {
      expect(result.code).toBe(0)
      expect(result.stderr).toBe("")
      expect(result.stdout).not.toContain(ESC)
    }
    const [root, , accounts, contract, mock] = runs.map((r) => r.stdout)
    expect(root).toMatch(/accounts[\s\S]*contract[\s\S]*mock/)
    for (const flag of ["--base-url", "--timeout", "--max-retries", "POSTPRESS_API_KEY"])
      expect(accounts).toContain(flag)
    for (const flag of ["--base-url", "--timeout", "--seed", "--checks", "--junit", "POSTPRESS_BASE_URL"]) {
      expect(contract).toContain(flag)
    }
    for (const flag of ["--port", "--seed", "--latency", "--fault-rate"]) expect(mock).toContain(flag)
  })

  // `script` (util-linux) gives the program a terminal for stdout.
  const hasScript = (() => {
    try {
      execFileSync("script", ["--version"], { stdio: "ignore" })
      return true
    } catch {
      return false
    }
  })()

  it.runIf(hasScript)("at a terminal, --help is styled unless NO_COLOR is set", () => {
    const atTerminal = (env: Record<string, string | undefined>) =>
      execFileSync(
        "script",
        ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(bin())} --help`, "/dev/null"],
        {
          env: { ...process.env, ...env },
          encoding: "utf8"
        }
      )
    expect(atTerminal({ NO_COLOR: undefined })).toContain(ESC)
    const plain = atTerminal({ NO_COLOR: "1" })
    expect(plain).toContain("USAGE")
    expect(plain).not.toContain(ESC)
  })

  it("--version prints the package version", async () => {
    const result = await run(["--version"])
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe(version)
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
    expect(version).toBe(pkg.version)
  })

  it("usage errors exit 2 with one line and nothing on stdout", async () => {
    const runs = await Promise.all([
      run([]),
      run(["bogus"]),
      run(["contract", "--no-such-flag"]),
      run(["contract", "--seed", "abc"]),
      run(["mock", "--port", "70000"]),
      run(["accounts", "get", "--timeout", "0s", "x"], { POSTPRESS_API_KEY: "pp_test_key_123456" })
    ])
    const lines = runs.map((result) => {
      expect(result.code).toBe(2)
      expect(result.stdout).toBe("")
      return oneLine(result.stderr)
    })
    expect(lines[0]).toBe("postpress: missing command (accounts, contract, mock); see --help")
    expect(lines[1]).toMatch(/^postpress: .*accounts.*contract.*mock/)
    expect(lines[2]).toMatch(/^postpress: .*--no-such-flag/)
    expect(lines[4]).toContain("--port must be 0–65535")
    // `accounts` failures are JSON lines, usage errors included.
    expect(JSON.parse(lines[5] ?? "")).toMatchObject({
      _tag: "UsageError",
      message: expect.stringContaining("--timeout")
    })
  })
})

describe("duration grammar", () => {
  const ms = (text: string) => Option.map(DurationFlag.parse(text), Duration.toMillis)

  it("reads what users type and Effect's spelling", () => {
    expect(ms("500ms")).toEqual(Option.some(500))
    expect(ms("2s")).toEqual(Option.some(2000))
    expect(ms("1.5s")).toEqual(Option.some(1500))
    expect(ms("1m")).toEqual(Option.some(60_000))
    expect(ms("1h")).toEqual(Option.some(3_600_000))
    expect(ms(" 250 ms ")).toEqual(Option.some(250))
    expect(ms("250 millis")).toEqual(Option.some(250))
    expect(ms("0ms")).toEqual(Option.some(0))
  })

  it("refuses anything else", () => {
    for (const text of ["", "5", "soon", "-1s", "1d", "s", "1e3ms", "Infinity", "1 ms ms"]) {
      expect(ms(text)).toEqual(Option.none())
    }
  })
})
