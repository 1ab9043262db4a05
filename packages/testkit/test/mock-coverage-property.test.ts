/**
 * The coverage report's invariants, for any sequence of answers the mock
 * could give (a model of the recorder's inputs, no HTTP here: the HTTP paths
 * are in mock-coverage.test.ts): `seen` and `missing` split each universe
 * (14 types, 32 error types, 6 behaviours) exactly; the counts add up to
 * the requests; per-workspace counts add up to the totals; a retry is
 * counted exactly when the same request follows a 503, 504 or 429.
 */
import { Account, ErrorCatalogue } from "@postpress/schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeRecorder } from "../src/internal/mock/coverage.js"
import { makeWorkspaces } from "../src/internal/mock/fixtures.js"
import * as MockCoverage from "../src/MockCoverage.js"

const workspaces = makeWorkspaces(5, 3)
const accounts = workspaces.flatMap((ws, workspace) => ws.accounts.map((a) => ({ workspace, id: a.id, type: a.type })))

type Event =
  | { readonly _tag: "Account"; readonly account: number; readonly extra: boolean; readonly unknownType: boolean }
  | {
      readonly _tag: "Answer"
      readonly workspace: number
      readonly target: number
      readonly status: number
      readonly type: string | undefined
      readonly retryAfter: boolean
    }

const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({
    _tag: fc.constant("Account" as const),
    account: fc.nat({ max: accounts.length - 1 }),
    extra: fc.boolean(),
    unknownType: fc.boolean()
  }),
  fc.record({
    _tag: fc.constant("Answer" as const),
    workspace: fc.integer({ min: -1, max: workspaces.length - 1 }),
    target: fc.nat({ max: 3 }),
    status: fc.constantFrom(400, 401, 404, 429, 500, 503, 504, 418),
    // Documented types, sometimes under another status (not counted), sometimes none.
    type: fc.option(fc.constantFrom(...ErrorCatalogue.catalogue.map((e) => e.type), "errors/made_up"), {
      nil: undefined
    }),
    retryAfter: fc.boolean()
  })
)

const targetOf = (n: number) => `/v1/accounts/${accounts[n]?.id ?? "x"}`

const behaviourOfStatus = (status: number) =>
  status === 503
    ? "retry_after_503"
    : status === 504
      ? "retry_after_504"
      : status === 429
        ? "retry_after_429"
        : undefined

describe("MockCoverage report invariants", () => {
  it("seen and missing partition every universe; counts add up; retries follow transient answers", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const recorder = makeRecorder(workspaces)
        // A model of the retry rule: the last answer per (workspace, target) was transient.
        const last = new Map<string, number>()
        const expectedRetries: Record<string, number> = {}
        const expectedErrors = new Map<string, number>()
        for (const e of events) {
          const [workspace, target, status] =
            e._tag === "Account"
              ? [accounts[e.account]!.workspace, targetOf(e.account), 200]
              : [e.workspace, targetOf(e.target), e.status]
          const key = `${workspace} ${target}`
          const before = last.get(key)
          const retry = before === undefined ? undefined : behaviourOfStatus(before)
          if (retry !== undefined) expectedRetries[retry] = (expectedRetries[retry] ?? 0) + 1
          if (behaviourOfStatus(status) === undefined) last.delete(key)
          else last.set(key, status)
          if (e._tag === "Account")
            recorder.account(accounts[e.account]!.id, target, { unknownFields: e.extra, unknownType: e.unknownType })
          else {
            recorder.answer(e.workspace, target, e.status, e.type, e.retryAfter)
            if (e.type !== undefined && ErrorCatalogue.lookup(e.type)?.status === e.status) {
              expectedErrors.set(e.type, (expectedErrors.get(e.type) ?? 0) + 1)
            }
          }
        }
        const report = MockCoverage.fromSnapshot(recorder.snapshot())
        const seenTypes = Object.keys(report.seen.types)
        expect(new Set([...seenTypes, ...report.missing.types])).toEqual(new Set(Account.accountTypes))
        expect(seenTypes.length + report.missing.types.length).toBe(14)
        const seenErrors = Object.values(report.seen.errors).flatMap((byType) => Object.entries(byType))
        expect(new Map(seenErrors)).toEqual(expectedErrors)
        expect(seenErrors.length + report.missing.errors.length).toBe(32)
        const seenBehaviours = Object.keys(report.seen.behaviours)
        expect(seenBehaviours.length + report.missing.behaviours.length).toBe(6)
        for (const [tier, byType] of Object.entries(report.seen.errors)) {
          for (const type of Object.keys(byType)) expect(String(ErrorCatalogue.lookup(type)?.status)).toBe(tier)
        }
        expect(report.seen.requests).toBe(events.length)
        const typeTotal = Object.values(report.seen.types).reduce((a, b) => a + (b ?? 0), 0)
        // An account served as an unknown type counts for that behaviour, not for its fixture's type.
        expect(typeTotal).toBe(events.filter((e) => e._tag === "Account" && !e.unknownType).length)
        const unknownTypes = events.filter((e) => e._tag === "Account" && e.unknownType).length
        expect(report.seen.behaviours.unknown_account_type).toBe(unknownTypes === 0 ? undefined : unknownTypes)
        expect(report.seen.workspaces.reduce((sum, w) => sum + w.requests, 0)).toBe(events.length)
        for (const retry of ["retry_after_503", "retry_after_504", "retry_after_429"] as const) {
          expect(report.seen.behaviours[retry]).toBe(expectedRetries[retry])
        }
        const throttled = events.filter((e) => e._tag === "Answer" && e.status === 429 && e.retryAfter).length
        expect(report.seen.behaviours.rate_limited_with_retry_after).toBe(throttled === 0 ? undefined : throttled)
        const extra = events.filter((e) => e._tag === "Account" && e.extra).length
        expect(report.seen.behaviours.unknown_fields).toBe(extra === 0 ? undefined : extra)
      }),
      { numRuns: 300 }
    )
  })
})
