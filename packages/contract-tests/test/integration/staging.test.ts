/**
 * Staging-grade runs against loopback servers: throttling (429 with
 * `Retry-After` in seconds or as an HTTP-date; persistent 429 is
 * inconclusive, never a violation, and never a pass), slow answers (`response_time` with the
 * request and a curl line), drift (unknown fields recorded with paths and
 * counts; `failOnDrift` fails naming them), latency in every rendering, and
 * the rate limit measured by the server's own arrival times.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { type ContractConfig, runContract } from "../../src/Contract.js"
import { render } from "../../src/ContractHtml.js"
import { toJunitXml } from "../../src/ContractJunit.js"
import { failedChecks, formatHuman, toJson } from "../../src/ContractReport.js"
import { KEY, maxInWindow, startStagingServer } from "../staging-servers.js"
import { stoppedAfterEach } from "../support/loopback.js"

const start = stoppedAfterEach(startStagingServer)

const ids = ["acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR", "acc_staging_two"]
const known = (path: string) => path.endsWith(`/v1/accounts/${ids[0]}`)

// The spec's checks only: the security probes send more requests to the known ids, which would
// only blur the counts these tests assert.
const run = (config: Partial<ContractConfig> & { readonly baseUrl: string }) =>
  Effect.runPromise(
    runContract({ apiKey: KEY, accountIds: ids, seed: 11, runs: 2, excludeChecks: ["security"], ...config })
  )

const check = (report: Awaited<ReturnType<typeof run>>, name: string) => report.checks.find((c) => c.name === name)!

describe("429 is throttling, not a violation", () => {
  it("waits per Retry-After (seconds, then an HTTP-date) and retries", async () => {
    const server = await start({
      ids,
      throttle: (path, n) =>
        !known(path) ? undefined : n === 1 ? "1" : n === 2 ? new Date(Date.now() + 2000).toUTCString() : undefined
    })
    const report = await run({ baseUrl: server.url, maxAttempts: 3 })
    expect(failedChecks(report)).toEqual([])
    expect(report.passed).toBe(true)
    expect(report.throttled).toBe(2)
    expect(check(report, "known_accounts")).toMatchObject({ status: "pass", inconclusive: 0 })
    // status_code, error_envelope and content_type did not judge the gateway's text/plain 429s
    expect(check(report, "status_code").failureCount).toBe(0)
    const times = server.arrivals.filter((a) => known(a.path)).map((a) => a.at)
    // the first request of the run asks for the first id; its three attempts carry the throttling
    expect(times.length).toBeGreaterThanOrEqual(3)
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950) // Retry-After: 1
    // an HTTP-date about 2 s ahead (1-2 s at its one-second resolution), waited for up to the 2 s cap
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(900)
    expect(times[2]! - times[1]!).toBeLessThan(2600)
  })

  it("an account still throttled after the retries is never judged: the run is inconclusive and names it", async () => {
    const server = await start({ ids, throttle: (path) => (path.endsWith(`/${ids[1]}`) ? "0" : undefined) })
    const report = await run({ baseUrl: server.url, maxAttempts: 2 })
    expect(report.passed).toBe(false)
    expect(report.verdict).toBe("inconclusive")
    expect(report.inconclusiveReasons).toEqual([`account "${ids[1]}" never judged: 1 answer was 429 after retries`])
    const knownAccounts = check(report, "known_accounts")
    expect(knownAccounts).toMatchObject({ status: "pass", evaluated: 1, inconclusive: 1, failureCount: 0 })
    // the second id is also asked for without a key and with a wrong one: 3 requests, 2 attempts each
    for (const name of ["missing_credentials", "invalid_credentials"]) {
      expect(check(report, name)).toMatchObject({ status: "pass", inconclusive: 1, failureCount: 0 })
    }
    expect(report.throttled).toBe(6)
    expect(server.arrivals.filter((a) => a.path.endsWith(`/${ids[1]}`))).toHaveLength(6)
    const human = formatHuman(report)
    expect(human).toMatch(
      /\n {2}PASS {2}known_accounts +1 request judged; 1 not judged: 1 answer was 429 after retries\n/
    )
    expect(human).toContain("6 throttled (429)")
    expect(human).toContain(`Not judged: account "${ids[1]}" never judged: 1 answer was 429 after retries`)
    expect(human).toMatch(/Result: INCONCLUSIVE \(1 thing could not be judged; \d+ passed, \d+ not run; seed 11\)/)
  })

  it("every answer throttled: the run is INCONCLUSIVE (never a pass), each check says why with counts", async () => {
    const server = await start({ ids, throttle: (path) => (path.includes("/v1/accounts/") ? "0" : undefined) })
    const report = await run({ baseUrl: server.url, maxAttempts: 2, checks: ["known_accounts", "not_found"] })
    expect(report.passed).toBe(false)
    expect(report.verdict).toBe("inconclusive")
    expect(failedChecks(report)).toEqual([])
    expect(check(report, "known_accounts")).toMatchObject({
      status: "inconclusive",
      evaluated: 0,
      inconclusive: 2,
      note: "0 requests judged: 2 answers were 429 after retries"
    })
    expect(check(report, "not_found")).toMatchObject({ status: "inconclusive", evaluated: 0 })
    expect(report.inconclusiveReasons).toContain("known_accounts: 0 requests judged: 2 answers were 429 after retries")
    expect(report.inconclusiveReasons).toContain(`account "${ids[0]}" never judged: 1 answer was 429 after retries`)
    expect(formatHuman(report)).toContain("Result: INCONCLUSIVE (")
    expect(JSON.parse(toJson(report)).verdict).toBe("inconclusive")
  })
})

describe("timed", () => {
  it("records every exchange's latency: JSON overall and per check, JUnit properties and testcase time", async () => {
    const server = await start({ ids, delayMs: (path) => (known(path) ? 60 : 0) })
    const report = await run({ baseUrl: server.url })
    const json = JSON.parse(toJson(report))
    // every attempt is timed: here each request took one
    expect(json.latency.count).toBe(report.attempts)
    expect(report.attempts).toBe(report.requests)
    expect(json.latency.max).toBeGreaterThanOrEqual(60)
    expect(Object.keys(json.latency)).toEqual(["count", "p50", "p95", "p99", "max"])
    const perCheck = json.checks.find((c: { name: string }) => c.name === "known_accounts").latency
    expect(perCheck.count).toBe(2)
    expect(perCheck.max).toBeGreaterThanOrEqual(60)
    expect(json.latencySamples.map((s: { status: number }) => s.status)).toEqual([200, 401, 404])
    const xml = toJunitXml(report)
    expect(xml).toMatch(/<property name="latency.p99_ms" value="[\d.]+"\/>/)
    expect(xml).toMatch(/<property name="latency.known_accounts.max_ms" value="(6\d|[7-9]\d|\d{3,})(\.\d+)?"\/>/)
    expect(xml).toMatch(/<testcase classname="postpress.contract" name="known_accounts" time="0\.(0[6-9]|[1-9])\d*"/)
    expect(formatHuman(report)).toMatch(/Timing: \d+ attempts, p50 [\d.]+ ms, p95/)
  })

  it("--max-response-time: a slower answer is a response_time violation with its request and curl line", async () => {
    const server = await start({ ids, delayMs: (path) => (known(path) ? 120 : 0) })
    const report = await run({ baseUrl: server.url, maxResponseTime: "60 millis" })
    expect(failedChecks(report)).toEqual(["response_time"])
    const responseTime = check(report, "response_time")
    // the slow id is asked for with the key, without it and with a wrong one; every answer is timed
    expect(responseTime.failureCount).toBe(3)
    expect(responseTime.evaluated).toBe(report.attempts)
    const failure = responseTime.failures.find((f) => f.request?.credentials === "valid")!
    expect(failure.message).toMatch(/^answered in \d+ ms, over the maximum of 60 ms$/)
    expect(failure.request?.url).toBe(`${server.url}/v1/accounts/${ids[0]}`)
    expect(failure.status).toBe(200)
    expect(failure.curl).toContain(`--url '${server.url}/v1/accounts/${ids[0]}'`)
    expect(failure.curl).toContain("X-API-KEY: ***")
    const human = formatHuman(report)
    expect(human).toContain("response_time: answered in")
    expect(human).toContain(`repro:   curl --path-as-is --request GET --url '${server.url}/v1/accounts/${ids[0]}'`)
    for (const text of [human, toJson(report), toJunitXml(report), render(report)]) expect(text).not.toContain(KEY)
    expect(report.settings?.maxResponseTimeMs).toBe(60)
  })

  it("without --max-response-time, response_time is not run, names the flag, and the run still passes", async () => {
    const server = await start({ ids })
    const report = await run({ baseUrl: server.url })
    expect(check(report, "response_time")).toMatchObject({ status: "not_run", note: "needs --max-response-time" })
    expect(report.verdict).toBe("pass")
    expect(formatHuman(report)).toContain("not run: needs --max-response-time")
  })

  it("rejects a maximum response time that is not a positive duration", async () => {
    await expect(run({ baseUrl: "http://127.0.0.1:9/api", maxResponseTime: "0 millis" })).rejects.toThrow(
      /maxResponseTime: expected a positive duration \(e\.g\. "30 seconds" or milliseconds\), got "0 millis"/
    )
  })
})

describe("drift", () => {
  it("unknown fields are accepted and recorded with paths (items as []) and counts", async () => {
    const server = await start({ ids, extraFields: true })
    const report = await run({ baseUrl: server.url })
    expect(report.passed).toBe(true)
    expect(report.drift).toEqual({
      unknownFields: [
        { path: "brand_new_top_level", count: 2 },
        { path: "connection_params.im.new_flag", count: 2 },
        { path: "connection_params.im.organizations[].org_extra", count: 2 }
      ],
      failOnDrift: false
    })
    const human = formatHuman(report)
    expect(human).toContain("Drift: 3 unknown fields (not in the spec, allowed)")
    expect(human).toContain("  connection_params.im.organizations[].org_extra  in 2 responses")
    expect(human).toContain("Result: PASS")
  })

  it("failOnDrift makes any drift a failure that names it", async () => {
    const server = await start({ ids, extraFields: true })
    const report = await run({ baseUrl: server.url, failOnDrift: true })
    expect(report.passed).toBe(false)
    expect(failedChecks(report)).toEqual(["response_schema"])
    const messages = check(report, "response_schema").failures.map((f) => f.message)
    expect(messages).toContain(
      "drift: the unknown field connection_params.im.new_flag was in 2 responses (--fail-on-drift)"
    )
    expect(messages).toHaveLength(3)
    expect(check(report, "response_schema").failures[0]!.curl).toContain("/v1/accounts/")
  })

  it("a conformant server has no drift", async () => {
    const server = await start({ ids })
    const report = await run({ baseUrl: server.url, failOnDrift: true })
    expect(report.passed).toBe(true)
    expect(report.drift?.unknownFields).toEqual([])
  })
})

describe("gentle", () => {
  it("--rate-limit N: the server never sees more than N requests in any one-second window", async () => {
    const limit = 8
    const server = await start({ ids })
    const report = await run({ baseUrl: server.url, rateLimit: limit, concurrency: 8, runs: 10 })
    expect(report.passed).toBe(true)
    const times = server.arrivals.map((a) => a.at)
    expect(times.length).toBe(report.requests)
    expect(times.length).toBeGreaterThan(2 * limit)
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(limit)
    // a ceiling, not a brake: the run reached the limit, and took about as many windows as it needed
    expect(maxInWindow(times, 1000)).toBe(limit)
    const span = Math.max(...times) - Math.min(...times)
    const windows = Math.ceil(times.length / limit) - 1
    console.log(
      `rate limit ${limit}/s: ${times.length} requests, first to last ${Math.round(span)} ms (at least ${windows * 1000} ms needed), at most ${maxInWindow(times, 1000)} in any 1 s window`
    )
    expect(span).toBeGreaterThanOrEqual(windows * 1000)
    expect(report.settings).toMatchObject({ rateLimit: limit, concurrency: 8 })
  })

  it("rejects a rate limit that is not a positive integer", async () => {
    await expect(run({ baseUrl: "http://127.0.0.1:9/api", rateLimit: 0 })).rejects.toThrow(
      /rateLimit: expected an integer ≥ 1, got 0/
    )
  })
})
