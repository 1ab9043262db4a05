/**
 * `postpress contract` when staging is down or hostile (the built program,
 * spawned): a load balancer's HTML 503 page is an outage, not a violation
 * (INCONCLUSIVE, exit 4, the reason grouped), while a JSON 503 that is not
 * a valid envelope still FAILS error_envelope; a first answer cut mid-body
 * still writes every requested report, saying what happened; a base URL the
 * one rule refuses sends nothing; a report path under /proc is a usage error
 * within seconds, never a hang.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import * as Http from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { KEY, startStagingServer } from "../../../contract-tests/test/staging-servers.js"
import { listenLoopback } from "../../../contract-tests/test/support/loopback.js"
import { completion, oneLine, run, start } from "../support/program.js"

const dir = mkdtempSync(join(tmpdir(), "contract-outage-cli-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ids = ["acc_1", "acc_2"]
const env = { POSTPRESS_API_KEY: KEY, POSTPRESS_ACCOUNT_IDS: ids.join(",") }
const contract = (url: string, args: ReadonlyArray<string>) =>
  run(["contract", "--base-url", url, "--runs", "2", "--exclude-checks", "security", ...args], env)

const htmlPage = {
  status: 503,
  headers: { "content-type": "text/html" },
  body: "<html><h1>503 Service Unavailable</h1></html>"
}

describe.concurrent("postpress contract: an outage is not a violation", () => {
  it("every answer a load balancer's HTML 503: INCONCLUSIVE, exit 4, the reason grouped, never a failure", async () => {
    const server = await startStagingServer({ ids, override: () => htmlPage })
    try {
      const json = join(dir, "html-503.json")
      const { code, stdout } = await contract(server.url, ["--json", json, "--max-body-size", "1MiB"])
      expect(code).toBe(4)
      expect(stdout).not.toMatch(/\n {2}FAIL /)
      // checks that could not judge for the same reason share one line, in the check list and in "Not judged"
      expect(stdout).toMatch(
        /\n {2}\?{4} {2}\d+ checks inconclusive: 0 answers judged: \d+ answers were gateway pages: 503 text\/html:\n {8}response_schema, error_envelope, status_code, content_type, not_a_server_error,\n/
      )
      expect(stdout).toMatch(
        /\nNot judged: .*known_accounts(, \w+)*: 0 requests judged: 2 answers were gateway pages: 503 text\/html/
      )
      expect(stdout).toMatch(/\nResult: INCONCLUSIVE \(/)
      const report = JSON.parse(readFileSync(json, "utf8"))
      expect(report.verdict).toBe("inconclusive")
      expect(report.checks.every((c: { failureCount: number }) => c.failureCount === 0)).toBe(true)
      const status = report.checks.find((c: { name: string }) => c.name === "status_code")
      // every attempt (three per request) was a gateway page: counted once each, as answers
      expect(status).toMatchObject({ evaluated: 0, inconclusive: report.attempts, unit: "answers" })
      expect(status.notJudged).toEqual([{ reason: "gateway page: 503 text/html", count: report.attempts }])
      expect(report.attempts).toBe(3 * report.requests)
    } finally {
      await server.stop()
    }
  })

  it("a JSON 503 that is not a valid envelope still fails error_envelope (exit 1)", async () => {
    const invalid = { status: 503, headers: { "content-type": "application/json" }, body: '{"error":"down"}' }
    const server = await startStagingServer({ ids, override: () => invalid })
    try {
      const { code, stdout } = await contract(server.url, [])
      expect(stdout).toMatch(/\n {2}FAIL {2}error_envelope +\d+ failures? in \d+ answers judged/)
      expect(code).toBe(1)
    } finally {
      await server.stop()
    }
  })

  it("some answers real, some gateway pages: the real ones are judged, the pages counted with their reason", async () => {
    // acc_2 sits behind a broken route: every answer for it is the load balancer's page.
    const server = await startStagingServer({
      ids,
      override: (path) => (path.endsWith("/acc_2") ? htmlPage : undefined)
    })
    try {
      const json = join(dir, "mixed.json")
      const { code, stdout } = await contract(server.url, ["--json", json])
      expect(code).toBe(4)
      expect(stdout).toMatch(
        /\n {2}PASS {2}known_accounts +1 request judged; 1 not judged: 1 answer was a gateway page: 503 text\/html\n/
      )
      expect(stdout).toContain('Not judged: account "acc_2" never judged: 1 answer was a gateway page: 503 text/html')
      const report = JSON.parse(readFileSync(json, "utf8"))
      expect(report.inconclusiveReasons).toEqual([
        'account "acc_2" never judged: 1 answer was a gateway page: 503 text/html'
      ])
    } finally {
      await server.stop()
    }
  })
})

describe.concurrent("postpress contract: every report whatever the verdict", () => {
  it("a first answer cut mid-body: exit 4, every report written, saying the server answered and cut the body", async () => {
    const server = Http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "5000" })
      res.write('{"id":"acc_1",')
      setImmediate(() => req.socket.destroy())
    })
    const { origin, stop } = await listenLoopback(server)
    try {
      const files = { json: join(dir, "cut.json"), junit: join(dir, "cut.xml"), html: join(dir, "cut.html") }
      const { code, stdout } = await contract(`${origin}/api`, [
        "--json",
        files.json,
        "--junit",
        files.junit,
        "--html",
        files.html
      ])
      expect(code).toBe(4)
      const reason = `${origin}/api answered 200 but the body was cut short: aborted (ECONNRESET)`
      expect(stdout).toContain(`Not judged: ${reason}`)
      expect(stdout).not.toContain("cannot reach")
      const report = JSON.parse(readFileSync(files.json, "utf8"))
      expect(report).toMatchObject({ verdict: "inconclusive", inconclusiveReasons: [reason] })
      expect(report.checks.every((c: { failureCount: number }) => c.failureCount === 0)).toBe(true)
      expect(readFileSync(files.junit, "utf8")).toContain(reason)
      expect(readFileSync(files.html, "utf8")).toContain("answered 200 but the body was cut short")
    } finally {
      await stop()
    }
  })
})

describe.concurrent("postpress contract: refused before any request", () => {
  for (const [suffix, defect] of [
    ["?", "must not have a query (?)"],
    ["#", "must not have a fragment (#)"]
  ] as const) {
    it(`a base URL ending in ${suffix}: exit 2, the rule's message, and the server got nothing`, async () => {
      const server = await startStagingServer({ ids })
      try {
        const { code, stdout, stderr } = await contract(`${server.url}${suffix}`, [])
        expect(code).toBe(2)
        expect(stdout).toBe("")
        expect(oneLine(stderr)).toBe(`postpress contract: --base-url: ${defect}`)
        expect(server.arrivals).toEqual([])
      } finally {
        await server.stop()
      }
    })
  }

  it("a report path under /proc (where mkdir -p never returns) is a usage error within seconds, never a hang", async () => {
    const server = await startStagingServer({ ids })
    const child = start(["contract", "--base-url", server.url, "--json", "/proc/x/y/report.json"], env)
    // A hang would be killed here and fail the test: the program must answer on its own, long before.
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000)
    const began = performance.now()
    try {
      const { code, stdout, stderr, signal } = await completion(child)
      expect(signal).toBeNull()
      expect(code).toBe(2)
      expect(stdout).toBe("")
      expect(oneLine(stderr)).toMatch(
        /^postpress contract: cannot write --json \/proc\/x\/y\/report\.json: cannot create the folder \/proc\/x \(/
      )
      expect(performance.now() - began).toBeLessThan(15_000)
      expect(server.arrivals).toEqual([])
      expect(existsSync("/proc/x")).toBe(false)
    } finally {
      clearTimeout(killer)
      await server.stop()
    }
  })
})
