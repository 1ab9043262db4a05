/**
 * The promise behind a PASS, as properties (fast-check):
 *
 * 1. the report builder: whatever a run feeds it (judged answers, answers
 *    with no verdict, failures, accounts judged or not, checks not run),
 *    a `pass` verdict means every selected check that ran judged at least
 *    one answer and every given account id was judged (while an account
 *    check is selected);
 * 2. the whole suite against a loopback server whose answers are generated
 *    (normal, 503 envelope, HTML 503/502 pages, 304, 429, connection reset,
 *    an answer cut mid-body, in any sequence): a `pass` means each selected
 *    check judged ≥ 1 answer and the SERVER itself served a 200 for each
 *    given id to the real key.
 */
import * as Effect from "effect/Effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { runContract } from "../../src/Contract.js"
import { type CheckName, checkNames } from "../../src/ContractCheck.js"
import type { ContractReport } from "../../src/ContractReport.js"
import * as Builder from "../../src/internal/report/builder.js"
import { type Behaviour, behaviours, startScriptedServer } from "../scripted-server.js"

const accountChecks: ReadonlyArray<CheckName> = ["response_schema", "known_accounts", "variant_coverage"]

/** What a pass promises, given what was selected, lacked input, and the ids given. */
const promiseHolds = (
  report: ContractReport,
  accountIds: ReadonlyArray<string>,
  judgedIds: ReadonlySet<string>
): boolean => {
  if (report.verdict !== "pass") return true
  const ran = report.checks.filter((c) => c.status !== "not_run")
  if (ran.length === 0) return false
  const everyCheckJudged = ran.every((c) => c.evaluated >= 1)
  const accountCheckRan = ran.some((c) => accountChecks.includes(c.name))
  const everyIdJudged = !accountCheckRan || accountIds.every((id) => judgedIds.has(id))
  return everyCheckJudged && everyIdJudged && report.inconclusiveReasons.length === 0
}

const pool = ["acc_a", "acc_b", "acc_c"]
const reasons = [
  "503 after retries",
  "429 after retries",
  "no answer (ECONNRESET)",
  "body over the 16 MiB limit (9 bytes)"
]
const check = fc.constantFrom(...checkNames)

type Event =
  | { readonly _tag: "evaluated"; readonly check: CheckName; readonly count: number }
  | { readonly _tag: "inconclusive"; readonly check: CheckName; readonly reason: string }
  | { readonly _tag: "failure"; readonly check: CheckName }
  | { readonly _tag: "accountJudged"; readonly id: string }
  | { readonly _tag: "accountNotJudged"; readonly id: string; readonly reason: string }
  | { readonly _tag: "variantSeen" }

const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ _tag: fc.constant("evaluated" as const), check, count: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ _tag: fc.constant("inconclusive" as const), check, reason: fc.constantFrom(...reasons) }),
  fc.record({ _tag: fc.constant("failure" as const), check }),
  fc.record({ _tag: fc.constant("accountJudged" as const), id: fc.constantFrom(...pool) }),
  fc.record({
    _tag: fc.constant("accountNotJudged" as const),
    id: fc.constantFrom(...pool),
    reason: fc.constantFrom(...reasons)
  }),
  fc.record({ _tag: fc.constant("variantSeen" as const) })
)

describe("a pass is a promise", () => {
  it("report builder: pass ⇒ every selected check that ran judged ≥ 1 answer, every given id judged", () => {
    fc.assert(
      fc.property(
        fc.subarray([...checkNames], { minLength: 1 }),
        fc.subarray(pool),
        fc.subarray([...checkNames]),
        fc.array(event, { maxLength: 60 }),
        fc.boolean(),
        (selected, accountIds, lacking, events, requireVariants) => {
          const b = Builder.make({
            baseUrl: "http://127.0.0.1:1/api",
            seed: 1,
            runs: 1,
            strict: false,
            startedAt: "2026-12-06T00:00:00.000Z",
            selected: new Set(selected),
            requireVariants,
            accountIds
          })
          const judgedIds = new Set<string>()
          for (const e of events) {
            if (e._tag === "evaluated") b.evaluated(e.check, e.count)
            else if (e._tag === "inconclusive") b.inconclusive(e.check, 1, e.reason)
            else if (e._tag === "failure") b.failure({ check: e.check, message: "bad", request: null, status: 500 })
            else if (e._tag === "accountJudged") {
              b.accountJudged(e.id)
              judgedIds.add(e.id)
            } else if (e._tag === "accountNotJudged") b.accountNotJudged(e.id, e.reason)
            else b.variantSeen("LINKEDIN")
          }
          const notRun = Object.fromEntries(lacking.map((name) => [name, `needs --${name}`]))
          const report = b.finish({ durationMs: 1, notRun })
          expect(promiseHolds(report, accountIds, judgedIds)).toBe(true)
          // the verdict is a function of the checks and the reasons
          const failed = report.checks.some((c) => c.status === "fail")
          expect(report.verdict).toBe(failed ? "fail" : report.inconclusiveReasons.length > 0 ? "inconclusive" : "pass")
          expect(report.passed).toBe(report.verdict === "pass")
        }
      ),
      { numRuns: 500 }
    )
  })

  const behaviour = fc.constantFrom<Behaviour>("normal", "normal", ...behaviours)

  it("whole suite on loopback: pass ⇒ each selected check judged ≥ 1 answer, the server served each id", async () => {
    const key = "pp_live_PROPERTY_0123456789"
    await fc.assert(
      fc.asyncProperty(
        fc.array(behaviour, { minLength: 1, maxLength: 6 }),
        fc.subarray(["acc_p1", "acc_p2"]),
        fc.integer({ min: 0, max: 1000 }),
        async (script, accountIds, seed) => {
          const server = await startScriptedServer(accountIds, key, script)
          try {
            const exit = await Effect.runPromiseExit(
              runContract({
                baseUrl: server.url,
                apiKey: key,
                accountIds,
                seed,
                runs: 2,
                maxAttempts: 2,
                // Generous: a loaded machine must not turn a slow loopback answer into "no answer".
                timeout: "60 seconds",
                excludeChecks: ["security"]
              })
            )
            // A server that cannot be reached is an inconclusive report, never a failure of the run.
            expect(exit._tag).toBe("Success")
            if (exit._tag === "Failure") return
            const report = exit.value
            expect(promiseHolds(report, accountIds, server.served200), report.inconclusiveReasons.join("; ")).toBe(true)
            if (script.every((b) => b === "normal"))
              expect(report.verdict, report.inconclusiveReasons.join("; ")).toBe(
                accountIds.length > 0 ? "pass" : "inconclusive"
              )
          } finally {
            await server.stop()
          }
        }
      ),
      { numRuns: 25 }
    )
  }, 120_000)
})
