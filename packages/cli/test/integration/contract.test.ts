/**
 * `postpress contract` end to end (the built program, spawned): the default
 * run against the embedded mock passes and writes both reports; exit codes 1
 * (violations), 2 (usage) and 4 (inconclusive: staging down, no account id,
 * server unreachable) with clear messages and no stack trace; the key never
 * appears in any output (canary).
 */
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { KEY, startTinyServer } from "../../../contract-tests/test/broken-servers/TinyServer.js"
import { KEY as STAGING_KEY, startStagingServer, unavailable } from "../../../contract-tests/test/staging-servers.js"
import { bin, completion, oneLine, run } from "../support/program.js"

const dir = mkdtempSync(join(tmpdir(), "contract-cli-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const contract = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => run(["contract", ...args], env)

describe.concurrent("postpress contract", () => {
  it("default run: embedded mock, exit 0, JSON and JUnit written", async () => {
    const json = join(dir, "report.json")
    const junit = join(dir, "report.xml")
    const { code, stdout, stderr } = await contract(["--runs", "10", "--seed", "5", "--json", json, "--junit", junit])
    expect(stderr).toContain("embedded mock")
    expect(stdout).toContain("Result: PASS")
    expect(code).toBe(0)
    const report = JSON.parse(readFileSync(json, "utf8")) as { passed: boolean; seed: number }
    expect(report).toMatchObject({ verdict: "pass", passed: true, seed: 5, inconclusiveReasons: [], source: "suite" })
    expect(report).toMatchObject({
      invocation: { tool: "postpress", argv: expect.arrayContaining(["contract", "--seed", "5"]) }
    })
    expect(readFileSync(junit, "utf8")).toMatch(/<testsuites name="postpress contract" tests="\d+" failures="0"/)
  })

  it("--json - keeps stdout to the JSON report: the human report goes to stderr", async () => {
    const { code, stdout, stderr } = await contract(["--runs", "3", "--seed", "5", "--json", "-"])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({ verdict: "pass", source: "suite" })
    expect(stderr).toContain("Result: PASS")
  })

  it("violations: exit 1, failure details, and the key nowhere (canary)", async () => {
    const server = await startTinyServer({ ids: ["acc_1"], reflectKey: true })
    try {
      const json = join(dir, "leak.json")
      const junit = join(dir, "leak.xml")
      const { code, stdout, stderr } = await contract(
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

  it("POSTPRESS_BASE_URL stands for --base-url", async () => {
    const server = await startTinyServer({ ids: ["acc_1"] })
    try {
      const { code, stdout, stderr } = await contract(["--runs", "3", "--checks", "known_accounts"], {
        POSTPRESS_API_KEY: KEY,
        POSTPRESS_BASE_URL: server.url,
        POSTPRESS_ACCOUNT_IDS: "acc_1"
      })
      expect(stderr).not.toContain("embedded mock")
      expect(stdout).toContain("PASS  known_accounts")
      expect(code).toBe(0)
      expect(server.paths.some((path) => path.endsWith("/v1/accounts/acc_1"))).toBe(true)
    } finally {
      await server.stop()
    }
  })

  it("an empty POSTPRESS_BASE_URL counts as unset: the embedded mock runs", async () => {
    const { code, stderr } = await contract(["--runs", "1", "--checks", "known_accounts"], { POSTPRESS_BASE_URL: "" })
    expect(stderr).toContain("embedded mock")
    expect(code).toBe(0)
  })

  it("unreachable server: nothing could be judged, exit 4, the reason in the report, every report written", async () => {
    // A port that was just free: nothing listens there any more.
    const gone = await startTinyServer({ ids: [] })
    await gone.stop()
    const files = { json: join(dir, "gone.json"), junit: join(dir, "gone.xml"), html: join(dir, "gone.html") }
    const { code, stdout, stderr } = await contract(
      ["--base-url", gone.url, "--timeout", "2s", "--json", files.json, "--junit", files.junit, "--html", files.html],
      { POSTPRESS_API_KEY: KEY, POSTPRESS_ACCOUNT_IDS: "acc_1" }
    )
    expect(code).toBe(4)
    expect(stderr).toBe("")
    const reason = new RegExp(`cannot reach ${gone.url.replaceAll(".", "\\.")}: .*ECONNREFUSED`)
    expect(stdout).toMatch(new RegExp(`\nNot judged: ${reason.source}`))
    expect(stdout).toMatch(/\nResult: INCONCLUSIVE \(1 thing could not be judged; 0 passed/)
    const report = JSON.parse(readFileSync(files.json, "utf8"))
    expect(report).toMatchObject({ verdict: "inconclusive", passed: false, requests: 1 })
    expect(report.inconclusiveReasons).toEqual([expect.stringMatching(reason)])
    expect(readFileSync(files.junit, "utf8")).toMatch(reason)
    expect(readFileSync(files.html, "utf8")).toMatch(reason)
  })

  it("usage errors: exit 2 with one line", async () => {
    const [unknownCheck, noKey, badTimeout] = await Promise.all([
      contract(["--checks", "response_schema,bogus"]),
      contract(["--base-url", "http://127.0.0.1:9"]),
      contract(["--timeout", "soon"])
    ])
    for (const result of [unknownCheck, noKey, badTimeout]) {
      expect(result.code).toBe(2)
      expect(result.stdout).toBe("")
    }
    // Refused before the embedded mock starts: the usage error is the whole output.
    expect(oneLine(unknownCheck.stderr)).toBe(
      "postpress contract: --checks: unknown check bogus; groups: spec, security; the checks are listed by postpress contract --help"
    )
    expect(oneLine(noKey.stderr)).toContain("POSTPRESS_API_KEY must be set")
    expect(oneLine(badTimeout.stderr)).toBe(
      'postpress contract: --timeout: expected a positive duration like 500ms, 2s, 1.5s, 1m, 1h, got "soon"'
    )
  })
})

describe.concurrent("postpress contract: honest verdicts", () => {
  const staging = (url: string, args: ReadonlyArray<string>, ids = "acc_1,acc_2") =>
    contract(["--base-url", url, "--runs", "2", "--exclude-checks", "security", ...args], {
      POSTPRESS_API_KEY: STAGING_KEY,
      POSTPRESS_ACCOUNT_IDS: ids
    })

  it("staging down (every answer a 503 envelope): INCONCLUSIVE, exit 4, the reasons in one line, all reports written", async () => {
    const server = await startStagingServer({ ids: ["acc_1", "acc_2"], override: () => unavailable })
    try {
      const json = join(dir, "down.json")
      const junit = join(dir, "down.xml")
      const { code, stdout } = await staging(server.url, ["--json", json, "--junit", junit])
      expect(stdout).toMatch(
        /\nNot judged: .*known_accounts(, \w+)*: 0 requests judged: 2 answers were 503 after retries/
      )
      expect(stdout).toMatch(/\nResult: INCONCLUSIVE \(/)
      expect(code).toBe(4)
      expect(JSON.parse(readFileSync(json, "utf8"))).toMatchObject({ verdict: "inconclusive", passed: false })
      expect(readFileSync(junit, "utf8")).toMatch(/errors="[1-9]\d*"/)
    } finally {
      await server.stop()
    }
  })

  it("no account id: not a pass (exit 4) and one line says how to fix it", async () => {
    const server = await startStagingServer({ ids: ["acc_1"] })
    try {
      const { code, stdout } = await staging(server.url, [], "")
      expect(stdout).toContain(
        "no --account-id, so response_schema, known_accounts, variant_coverage judged no account: give --account-id, or exclude them explicitly (--exclude-checks response_schema,known_accounts,variant_coverage) to check error behaviour only"
      )
      expect(code).toBe(4)
      const errorsOnly = await contract(
        [
          "--base-url",
          server.url,
          "--runs",
          "2",
          "--exclude-checks",
          "security,response_schema,known_accounts,variant_coverage"
        ],
        { POSTPRESS_API_KEY: STAGING_KEY }
      )
      expect(errorsOnly.stdout).toContain("Result: PASS")
      expect(errorsOnly.code).toBe(0)
    } finally {
      await server.stop()
    }
  })

  it("nothing selected: usage error (exit 2) before any request is sent", async () => {
    const server = await startTinyServer({ ids: ["acc_1"] })
    try {
      const { code, stdout, stderr } = await contract(
        ["--base-url", server.url, "--checks", "spec", "--exclude-checks", "spec"],
        { POSTPRESS_API_KEY: KEY, POSTPRESS_ACCOUNT_IDS: "acc_1" }
      )
      expect(code).toBe(2)
      expect(stdout).toBe("")
      expect(oneLine(stderr)).toBe(
        "postpress contract: no check selected: --checks and --exclude-checks leave nothing to run"
      )
      expect(server.paths).toEqual([])
    } finally {
      await server.stop()
    }
  })

  it("an 80 MB body is not judged (over the 16 MiB limit, with its size), never 'not JSON', and RSS stays bounded", async () => {
    const size = 80 * 1000 * 1000
    const server = await startStagingServer({ ids: ["acc_1"], hugeBodyBytes: size })
    // The program's own peak RSS, printed by a preload at exit (the program itself is untouched).
    const preload = join(dir, "peak-rss.cjs")
    writeFileSync(
      preload,
      'process.on("exit", () => require("node:fs").writeSync(2, "\\nPEAK_RSS " + process.resourceUsage().maxRSS * 1024 + "\\n"))\n'
    )
    try {
      const child = spawn(
        process.execPath,
        ["--require", preload, bin(), "contract", "--base-url", server.url, "--checks", "known_accounts"],
        {
          env: {
            ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("POSTPRESS_"))),
            NO_COLOR: "1",
            POSTPRESS_API_KEY: STAGING_KEY,
            POSTPRESS_ACCOUNT_IDS: "acc_1"
          }
        }
      )
      const { code, stdout, stderr } = await completion(child)
      expect(stdout).toContain(
        `known_accounts: 0 requests judged: 1 answer with a body over the 16 MiB limit (${size} bytes)`
      )
      expect(stdout).not.toContain("not JSON")
      expect(code).toBe(4)
      const peak = Number(/PEAK_RSS (\d+)/.exec(stderr)?.[1])
      expect(peak).toBeGreaterThan(0)
      console.log(`peak RSS of postpress contract with an 80 MB body: ${(peak / 1024 / 1024).toFixed(0)} MB`)
      expect(peak).toBeLessThan(300 * 1024 * 1024)
    } finally {
      await server.stop()
    }
  })
})
