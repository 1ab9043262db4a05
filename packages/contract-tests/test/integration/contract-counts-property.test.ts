/**
 * Counts a person can reconcile (issue 24): every number of a suite report
 * counts one thing, named, and they add up, whatever the server does.
 *
 * Against a loopback server whose answers are generated (normal, the API's
 * 503, HTML 503/502 pages, 304, 429, resets, answers cut mid-body):
 *
 * - the server received exactly `attempts` requests; `attempts ≥ requests`
 *   and `retries = attempts − requests`;
 * - every request belongs to one check: the checks that count requests
 *   judged or did not judge them all (`evaluated + inconclusive`);
 * - the checks that count answers judged or did not judge every answer
 *   (429s aside, which only key_not_reflected judges);
 * - every "not judged" count is the sum of its reasons;
 * - each `--account-id` is judged, or named ONCE as never judged with the
 *   one answer its request got;
 * - the human report's header says the same numbers.
 *
 * And `--runs N` sends N distinct hostile ids (duplicates used to be
 * dropped silently: 45–49 of 50 judged without a word).
 */

import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { runContract } from "../../src/Contract.js"
import type { ContractReport } from "../../src/ContractReport.js"
import { formatHuman } from "../../src/ContractReport.js"
import * as Request from "../../src/internal/sources/suite/request.js"
import { scenarios } from "../../src/internal/sources/suite/scenarios.js"
import { type Behaviour, behaviours, startScriptedServer } from "../scripted-server.js"

const KEY = "pp_live_COUNTS_0123456789ab"

const sum = (values: ReadonlyArray<number>): number => values.reduce((a, b) => a + b, 0)

/** The run stopped at its first request (no whole answer to it). */
const stopped = (report: ContractReport): boolean =>
  report.inconclusiveReasons.some((r) => /^(cannot reach |\S+ answered \d+ but the body was cut short)/.test(r))

const reconciles = (report: ContractReport, arrivals: number, accountIds: ReadonlyArray<string>): void => {
  const attempts = report.attempts ?? -1
  expect(arrivals, "the server received every attempt, and nothing else").toBe(attempts)
  expect(attempts).toBeGreaterThanOrEqual(report.requests)
  expect(report.retries).toBe(attempts - report.requests)
  const byRequests = report.checks.filter((c) => c.unit === "requests")
  const judgedOrNot = sum(byRequests.map((c) => c.evaluated + c.inconclusive))
  if (stopped(report)) {
    expect(report.requests).toBe(1)
    expect(judgedOrNot).toBe(0)
  } else {
    expect(judgedOrNot, "each request judged or not judged by its check").toBe(report.requests)
  }
  for (const check of report.checks) {
    expect(sum((check.notJudged ?? []).map((n) => n.count)), `${check.name}: not judged = Σ reasons`).toBe(
      check.inconclusive
    )
  }
  const answers = (name: string) => report.checks.find((c) => c.name === name)!
  for (const name of ["status_code", "content_type", "not_a_server_error"]) {
    const check = answers(name)
    expect(check.unit).toBe("answers")
    expect(check.evaluated + check.inconclusive + (report.throttled ?? 0), `${name}: every answer`).toBe(attempts)
  }
  const keyCheck = answers("key_not_reflected")
  expect(keyCheck.evaluated + keyCheck.inconclusive, "key_not_reflected: every answer, 429s too").toBe(attempts)
  for (const id of accountIds) {
    const lines = report.inconclusiveReasons.filter((r) => r.startsWith(`account ${JSON.stringify(id)}`))
    expect(lines.length).toBeLessThanOrEqual(1)
    // One request per id: its one answer is the reason.
    for (const line of lines) expect(line).toMatch(/ never judged: 1 (answer|request) /)
  }
  expect(formatHuman(report)).toContain(
    `; ${report.requests} request${report.requests === 1 ? "" : "s"}, ${attempts} attempt${attempts === 1 ? "" : "s"} (`
  )
}

describe("counts a person can reconcile", () => {
  it("property: requests = judged + not judged per check, attempts ≥ requests = what the server received", async () => {
    const behaviour = fc.constantFrom<Behaviour>("normal", "normal", "normal", ...behaviours)
    await fc.assert(
      fc.asyncProperty(
        fc.array(behaviour, { minLength: 1, maxLength: 6 }),
        fc.subarray(["acc_p1", "acc_p2"], { minLength: 1 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        async (script, accountIds, seed, security) => {
          const server = await startScriptedServer(accountIds, KEY, script)
          try {
            const report = await Effect.runPromise(
              runContract({
                baseUrl: server.url,
                apiKey: KEY,
                accountIds,
                seed,
                runs: 2,
                maxAttempts: 2,
                // Generous: a loaded machine must not turn a slow loopback answer into "no answer".
                timeout: "60 seconds",
                ...(security ? {} : { excludeChecks: ["security"] })
              })
            )
            reconciles(report, server.arrivals.length, accountIds)
          } finally {
            await server.stop()
          }
        }
      ),
      { numRuns: 30 }
    )
  }, 180_000)

  it("an id answered 404 is judged (and failed), never also 'never judged'", async () => {
    const server = await startScriptedServer(["acc_here"], KEY, ["normal"])
    try {
      const report = await Effect.runPromise(
        runContract({ baseUrl: server.url, apiKey: KEY, accountIds: ["acc_here", "acc_gone"], seed: 3, runs: 2 })
      )
      const known = report.checks.find((c) => c.name === "known_accounts")!
      expect(known).toMatchObject({ status: "fail", evaluated: 2, inconclusive: 0, failureCount: 1 })
      expect(report.inconclusiveReasons).toEqual([])
      expect(report.verdict).toBe("fail")
      reconciles(report, server.arrivals.length, ["acc_here", "acc_gone"])
    } finally {
      await server.stop()
    }
  })

  it("--runs N sends N distinct hostile ids, whatever the seed", () => {
    for (let seed = 0; seed < 40; seed++) {
      for (const runs of [1, 7, 50, 200]) {
        const hostile = scenarios({
          accountIds: ["acc_1"],
          foreignAccountIds: [],
          seed,
          runs,
          isSendable: Request.isSendable,
          apiKey: Redacted.make(KEY)
        }).find((s) => s.check === "hostile_ids")!
        const ids = hostile.probes.map((p) => p.id)
        expect(ids).toHaveLength(runs)
        expect(new Set(ids).size).toBe(runs)
        expect(hostile.note).toBeUndefined()
      }
    }
  })
})
