/**
 * `pnpm contract` end to end (spawned like the root script does): the
 * default run against the embedded mock passes and writes both reports;
 * exit codes 1 and 2 with clear messages and no stack trace; the key never
 * appears in any output (canary).
 */
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { KEY, startTinyServer } from "./broken-servers/TinyServer.js"

const root = join(import.meta.dirname, "..", "..", "..")
const bin = join(root, "packages/contract-tests/src/bin/contract.ts")
const tsx = join(root, "node_modules/.bin/tsx")
const dir = mkdtempSync(join(tmpdir(), "contract-cli-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const cli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(tsx, ["--conditions=@postpress/source", bin, ...args], {
      cwd: root,
      env: { ...process.env, POSTPRESS_API_KEY: "", POSTPRESS_ACCOUNT_IDS: "", ...env }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()))
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()))
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)

describe("pnpm contract", () => {
  it("default run: embedded mock, exit 0, JSON and JUnit written", async () => {
    const json = join(dir, "report.json")
    const junit = join(dir, "report.xml")
    const { code, stdout, stderr } = await cli(["--runs", "10", "--seed", "5", "--json", json, "--junit", junit])
    expect(stderr).toContain("embedded mock")
    expect(stdout).toContain("Result: PASS")
    expect(code).toBe(0)
    const report = JSON.parse(readFileSync(json, "utf8")) as { passed: boolean; seed: number }
    expect(report).toMatchObject({ passed: true, seed: 5 })
    expect(readFileSync(junit, "utf8")).toContain('<testsuites name="postpress contract" tests="13" failures="0"')
  })

  it("violations: exit 1, failure details, and the key nowhere (canary)", async () => {
    const server = await startTinyServer({ ids: ["acc_1"], reflectKey: true })
    try {
      const json = join(dir, "leak.json")
      const junit = join(dir, "leak.xml")
      const { code, stdout, stderr } = await cli(
        ["--base-url", server.url, "--runs", "5", "--json", json, "--junit", junit],
        { POSTPRESS_API_KEY: KEY, POSTPRESS_ACCOUNT_IDS: "acc_1" }
      )
      expect(code).toBe(1)
      expect(stdout).toContain("FAIL  key_not_reflected")
      expect(stdout).toContain("X-API-KEY: ***")
      for (const text of [stdout, stderr, readFileSync(json, "utf8"), readFileSync(junit, "utf8")]) {
        expect(text).not.toContain(KEY)
      }
    } finally {
      await server.stop()
    }
  })

  it("unreachable server: exit 2 with one clear line", async () => {
    // A port that was just free: nothing listens there any more.
    const gone = await startTinyServer({ ids: [] })
    await gone.stop()
    const { code, stderr } = await cli(["--base-url", gone.url, "--timeout", "2s"], { POSTPRESS_API_KEY: KEY })
    expect(code).toBe(2)
    expect(stderr).toContain("server unreachable")
    noStack(stderr)
  })

  it("usage errors: exit 2", async () => {
    const { code, stderr } = await cli(["--checks", "response_schema,bogus"])
    expect(code).toBe(2)
    expect(stderr).toContain("unknown check(s): bogus")
    noStack(stderr)
  })
})
