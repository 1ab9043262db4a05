/**
 * Honest verdicts (issue 16), against loopback servers: a run passes only
 * when it judged what it claims. Staging down (every answer a 503 envelope)
 * and a fully throttled server are INCONCLUSIVE, never a pass; no
 * `--account-id` is not a pass and says how to fix it; nothing selected is
 * a usage error before any request; a valid account of ~1.6 MiB is judged;
 * a 40 MB body is not judged (not "not JSON"), and the transport keeps at
 * most the limit; flaky but reachable staging still gets a verdict.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { describe, expect, it } from "vitest"
import { type ContractConfig, runContract } from "../src/Contract.js"
import { toJunitXml } from "../src/ContractJunit.js"
import { type ContractReport, failedChecks, formatHuman, toJson } from "../src/ContractReport.js"
import * as ContractTransport from "../src/ContractTransport.js"
import { KEY, startStagingServer, unavailable } from "./staging-servers.js"
import { stoppedAfterEach } from "./support/loopback.js"

const start = stoppedAfterEach(startStagingServer)

const ids = ["acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR", "acc_staging_two"]
const foreign = ["acc_of_another_workspace"]

// The spec's checks (the security probes only multiply the requests here).
const run = (config: Partial<ContractConfig> & { readonly baseUrl: string }) =>
  Effect.runPromise(
    runContract({
      apiKey: KEY,
      accountIds: ids,
      foreignAccountIds: foreign,
      seed: 5,
      runs: 3,
      maxAttempts: 2,
      excludeChecks: ["security"],
      ...config
    })
  )

const check = (report: ContractReport, name: string) => report.checks.find((c) => c.name === name)!

const everyAccountPath = (path: string) => path.includes("/v1/accounts/")

describe("staging down: never a pass", () => {
  it("every answer a 503 envelope: INCONCLUSIVE, each check says why with counts, no violation", async () => {
    const server = await start({ ids, override: (path) => (everyAccountPath(path) ? unavailable : undefined) })
    const report = await run({ baseUrl: server.url })
    expect(report.verdict).toBe("inconclusive")
    expect(report.passed).toBe(false)
    expect(failedChecks(report)).toEqual([])
    expect(check(report, "known_accounts")).toMatchObject({
      status: "inconclusive",
      evaluated: 0,
      inconclusive: 2,
      note: "0 requests judged: 2 answers were 503 after retries"
    })
    // response_schema judges 200 bodies: none came (the 503 envelopes are the API's, judged by error_envelope)
    expect(check(report, "response_schema")).toMatchObject({
      status: "inconclusive",
      note: "0 answers judged: no 200 answer came"
    })
    expect(check(report, "error_envelope")).toMatchObject({ status: "pass", evaluated: report.attempts })
    expect(report.inconclusiveReasons).toContain("known_accounts: 0 requests judged: 2 answers were 503 after retries")
    for (const id of ids) {
      expect(report.inconclusiveReasons).toContain(`account "${id}" never judged: 1 answer was 503 after retries`)
    }
    // retried: every request was sent twice (maxAttempts 2)
    expect(report.retries).toBeGreaterThan(0)
    const human = formatHuman(report)
    expect(human).toMatch(
      /\n {2}\?{4} {2}known_accounts +inconclusive: 0 requests judged: 2 answers were 503 after retries\n/
    )
    expect(human).toMatch(/\nNot judged: .*known_accounts: 0 requests judged: 2 answers were 503 after retries/)
    expect(human).toMatch(
      /\nResult: INCONCLUSIVE \(\d+ things could not be judged; \d+ passed, \d+ not run; seed 5\)\n$/
    )
    expect(JSON.parse(toJson(report))).toMatchObject({ verdict: "inconclusive", passed: false, source: "suite" })
    const xml = toJunitXml(report)
    expect(xml).toMatch(/errors="[1-9]\d*"/)
    expect(xml).toContain(
      '<error message="inconclusive: 0 requests judged: 2 answers were 503 after retries" type="inconclusive">'
    )
    expect(xml).toContain('<property name="verdict" value="inconclusive"/>')
  })

  it("every answer a 429: INCONCLUSIVE, never a pass", async () => {
    const server = await start({ ids, throttle: (path) => (everyAccountPath(path) ? "0" : undefined) })
    const report = await run({ baseUrl: server.url })
    expect(report.verdict).toBe("inconclusive")
    expect(failedChecks(report)).toEqual([])
    expect(check(report, "not_found").note).toMatch(/^0 requests judged: \d+ answers were 429 after retries$/)
    // every attempt was throttled; each answer is counted once, retries included
    expect(report.throttled).toBe(report.attempts)
    expect(check(report, "status_code").note).toBe(`0 answers judged: ${report.attempts} answers were 429 (throttled)`)
  })

  it("a load balancer's HTML 503 page is retried and not judged either (status first)", async () => {
    const page = { status: 503, headers: { "content-type": "text/html" }, body: "<html>503 Service Unavailable</html>" }
    const server = await start({ ids, override: () => page })
    const report = await run({ baseUrl: server.url, checks: ["known_accounts"] })
    expect(report.verdict).toBe("inconclusive")
    expect(check(report, "known_accounts").note).toBe("0 requests judged: 2 answers were gateway pages: 503 text/html")
    expect(server.arrivals.filter((a) => a.path.endsWith(ids[1]!))).toHaveLength(2)
  })

  it("a cache's 304 and a 502 gateway page are not the API's answers: not judged, never a violation", async () => {
    const notModified = { status: 304, headers: { etag: '"v1"' }, body: "" }
    const badGateway = { status: 502, headers: { "content-type": "text/html" }, body: "<html>502 Bad Gateway</html>" }
    const server = await start({
      ids,
      override: (path) => (path.endsWith(ids[0]!) ? notModified : path.endsWith(ids[1]!) ? badGateway : undefined)
    })
    const report = await run({ baseUrl: server.url, checks: ["spec"] })
    expect(failedChecks(report)).toEqual([])
    expect(report.verdict).toBe("inconclusive")
    expect(check(report, "known_accounts")).toMatchObject({
      evaluated: 0,
      inconclusive: 2,
      notJudged: [
        { reason: "cache answer: 304 Not Modified", count: 1 },
        { reason: "gateway page: 502 text/html", count: 1 }
      ]
    })
    expect(report.inconclusiveReasons).toContain(
      `account "${ids[0]}" never judged: 1 answer was a cache answer: 304 Not Modified`
    )
    expect(report.inconclusiveReasons).toContain(
      `account "${ids[1]}" never judged: 1 answer was a gateway page: 502 text/html`
    )
    // the other requests were the API's and were judged
    expect(check(report, "not_found")).toMatchObject({ status: "pass", inconclusive: 0 })
    // THE retry policy decides: a 502 is retried (3 requests for ids[1], 2 attempts each), a 304 is not
    expect(server.arrivals.filter((a) => a.path.endsWith(ids[1]!))).toHaveLength(6)
    expect(server.arrivals.filter((a) => a.path.endsWith(ids[0]!))).toHaveLength(3)
  })

  it("flaky but reachable: a 503 on the first attempt of every request still gets a verdict (pass)", async () => {
    const server = await start({
      ids,
      override: (path, n) => (everyAccountPath(path) && n === 1 ? unavailable : undefined)
    })
    const report = await run({ baseUrl: server.url })
    expect(report.inconclusiveReasons).toEqual([])
    expect(report.verdict).toBe("pass")
    expect(report.retries).toBeGreaterThan(0)
    expect(check(report, "known_accounts")).toMatchObject({ status: "pass", evaluated: 2, inconclusive: 0 })
  })

  it("a violation fails the run even when something else was inconclusive", async () => {
    // ids[1] is always down; the server also answers the foreign id (another workspace's account) with 200.
    const server = await start({
      ids: [...ids, ...foreign],
      override: (path) => (path.endsWith(ids[1]!) ? unavailable : undefined)
    })
    const report = await run({ baseUrl: server.url })
    expect(report.verdict).toBe("fail")
    expect(failedChecks(report)).toEqual(["object_level_authorization"])
    expect(report.inconclusiveReasons).toContain(`account "${ids[1]}" never judged: 1 answer was 503 after retries`)
    expect(formatHuman(report)).toMatch(
      /\nResult: FAIL \(1 failed: object_level_authorization; also 1 thing not judged; seed 5\)\n$/
    )
  })
})

describe("inputs: what the run was given decides what it can claim", () => {
  it("no --account-id: not a pass; one line says how to fix it", async () => {
    const server = await start({ ids })
    const report = await run({ baseUrl: server.url, accountIds: [] })
    expect(report.verdict).toBe("inconclusive")
    for (const name of ["response_schema", "known_accounts", "variant_coverage"]) {
      expect(check(report, name)).toMatchObject({ status: "inconclusive", note: "needs --account-id" })
    }
    const fix = report.inconclusiveReasons.find((line) => line.startsWith("no --account-id"))
    expect(fix).toBe(
      "no --account-id, so response_schema, known_accounts, variant_coverage judged no account: give --account-id, or exclude them explicitly (--exclude-checks response_schema,known_accounts,variant_coverage) to check error behaviour only"
    )
    expect(formatHuman(report)).toContain(`Not judged: ${fix}`)
  })

  it("no --account-id with the account checks excluded explicitly: error behaviour only, and it passes", async () => {
    const server = await start({ ids })
    const report = await run({
      baseUrl: server.url,
      accountIds: [],
      excludeChecks: ["security", "response_schema", "known_accounts", "variant_coverage"]
    })
    expect(report.inconclusiveReasons).toEqual([])
    expect(report.verdict).toBe("pass")
  })

  it("a check lacking its input is not run, names the flag, and never makes the run inconclusive", async () => {
    const server = await start({ ids })
    const report = await run({ baseUrl: server.url, foreignAccountIds: [] })
    expect(check(report, "object_level_authorization")).toMatchObject({
      status: "not_run",
      note: "needs --foreign-account-id"
    })
    expect(check(report, "response_time")).toMatchObject({ status: "not_run", note: "needs --max-response-time" })
    expect(report.verdict).toBe("pass")
    const human = formatHuman(report)
    expect(human).toMatch(/\n {2}-{4} {2}object_level_authorization +not run: needs --foreign-account-id\n/)
    expect(toJunitXml(report)).toContain('<skipped message="not run: needs --foreign-account-id"/>')
  })

  it("nothing selected: InvalidConfig before any request", async () => {
    const server = await start({ ids })
    const exit = await Effect.runPromiseExit(
      runContract({ baseUrl: server.url, apiKey: KEY, accountIds: ids, checks: ["spec"], excludeChecks: ["spec"] })
    )
    expect(Exit.isFailure(exit)).toBe(true)
    expect(JSON.stringify(exit)).toContain("InvalidConfig")
    expect(JSON.stringify(exit)).toContain("no check selected")
    expect(server.arrivals).toEqual([])
  })
})

describe("body size: one limit, never 'not JSON'", () => {
  it("a valid account of ~1.6 MiB (a long signatures list) is judged like any other", async () => {
    const server = await start({ ids, signatures: 1500 })
    const report = await run({ baseUrl: server.url, checks: ["response_schema", "known_accounts"] })
    expect(failedChecks(report)).toEqual([])
    expect(report.verdict).toBe("pass")
    expect(check(report, "known_accounts")).toMatchObject({ status: "pass", evaluated: 2 })
    expect(check(report, "response_schema").evaluated).toBeGreaterThanOrEqual(2)
  })

  it("a 40 MB body is not judged: reported as over the 16 MiB limit with its size, not as a violation", async () => {
    const size = 40 * 1000 * 1000
    const server = await start({ ids, hugeBodyBytes: size })
    const report = await run({ baseUrl: server.url, checks: ["response_schema", "known_accounts"] })
    expect(failedChecks(report)).toEqual([])
    expect(report.verdict).toBe("inconclusive")
    expect(check(report, "known_accounts").note).toBe(
      `0 requests judged: 2 answers with a body over the 16 MiB limit (${size} bytes)`
    )
    expect(JSON.stringify(report)).not.toContain("not JSON")
    expect(report.settings?.maxBodyBytes).toBe(16 * 1024 * 1024)
  })

  it("the limit is configurable, and the transport keeps at most the limit in memory while counting every byte", async () => {
    const size = 40 * 1000 * 1000
    const server = await start({ ids, hugeBodyBytes: size })
    const limit = 64 * 1024
    const response = await Effect.runPromise(
      Effect.flatMap(ContractTransport.ContractTransport, (transport) =>
        transport.send({
          method: "GET",
          origin: new URL(server.url).origin,
          path: `/api/v1/accounts/${ids[0]}`,
          headers: { "x-api-key": KEY },
          maxBodyBytes: limit
        })
      ).pipe(Effect.provide(ContractTransport.layerNode))
    )
    expect(response.bodyBytes).toBe(size)
    // Over the limit nothing is kept (the answer will not be judged).
    expect(response.body).toBe("")
    const report = await run({ baseUrl: server.url, checks: ["known_accounts"], maxBodyBytes: limit })
    expect(check(report, "known_accounts").note).toBe(
      `0 requests judged: 2 answers with a body over the 64 KiB limit (${size} bytes)`
    )
  })
})
