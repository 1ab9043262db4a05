/**
 * Self-test of the contract suite: every deliberately broken server (the
 * mock plus one switch) must fail, and fail under the check that names its
 * rule; every correct control must pass; extra fields fail only `--strict`.
 * Prints the mutation score.
 */
import { Account } from "@postpress/schema"
import { startMockServer } from "@postpress/testkit/MockServer"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ContractConfig, runContract } from "../../src/Contract.js"
import { failedChecks } from "../../src/ContractReport.js"
import { broken, controls } from "../broken-servers/Mutations.js"
import { type Fixtures, type MutatingProxy, type Mutation, startProxy } from "../broken-servers/Proxy.js"

let mock: Awaited<ReturnType<typeof startMockServer>>
let proxy: MutatingProxy
let fixtures: Fixtures
const score = { caught: 0, total: 0, missed: [] as Array<string> }

beforeAll(async () => {
  mock = await startMockServer({ seed: 7 })
  const [own, foreign] = mock.workspaces
  if (own === undefined || foreign === undefined) throw new Error("the mock needs two workspaces")
  const first = own.accountIds[0]!
  const res = await fetch(`${mock.url}/v1/accounts/${encodeURIComponent(first)}`, {
    headers: { "X-API-KEY": own.apiKey }
  })
  fixtures = {
    upstream: mock.url,
    apiKey: own.apiKey,
    ownIds: own.accountIds,
    foreignKey: foreign.apiKey,
    foreignIds: foreign.accountIds,
    sampleAccount: (await res.json()) as Record<string, unknown>
  }
  proxy = await startProxy(fixtures)
})

afterAll(async () => {
  console.log(
    `contract self-test mutation score: ${score.caught}/${score.total}${score.missed.length > 0 ? ` (missed: ${score.missed.join(", ")})` : ""}`
  )
  await proxy?.stop()
  await mock?.stop()
})

const run = (mutation: Mutation, extra: Partial<ContractConfig> = {}) => {
  proxy.use(mutation)
  return Effect.runPromise(
    runContract({
      baseUrl: proxy.url,
      apiKey: fixtures.apiKey,
      accountIds: fixtures.ownIds,
      foreignAccountIds: fixtures.foreignIds.slice(0, 3),
      seed: 1234,
      runs: 15,
      concurrency: 4,
      ...mutation.config,
      ...extra
    })
  )
}

describe("broken servers: each is caught by the check naming its rule", () => {
  it("has at least 20 broken servers", () => {
    expect(broken.length).toBeGreaterThanOrEqual(20)
  })

  for (const mutation of broken) {
    it(`${mutation.name}: ${mutation.rule} → ${mutation.expect}`, async () => {
      const report = await run(mutation)
      const failed = failedChecks(report)
      const allowed = new Set([mutation.expect, ...(mutation.also ?? [])])
      const caught = !report.passed && failed.includes(mutation.expect!) && failed.every((c) => allowed.has(c))
      score.total++
      if (caught) score.caught++
      else score.missed.push(mutation.name)
      expect(report.passed).toBe(false)
      expect(failed).toContain(mutation.expect)
      // Exactly one rule is broken: nothing outside the overlapping checks may fail.
      expect(failed.filter((c) => !allowed.has(c))).toEqual([])
    })
  }
})

describe("correct servers pass", () => {
  for (const control of controls) {
    it(`${control.name}: ${control.rule}`, async () => {
      const report = await run(control)
      expect(failedChecks(report)).toEqual([])
      expect(report.variants.missing).toEqual([])
      expect(report.variants.seen).toHaveLength(Account.accountTypes.length)
      if (control.name === "flaky") expect(report.retries).toBeGreaterThan(0)
    })
  }

  it("unknown extra fields fail only under --strict", async () => {
    const extras = controls.find((c) => c.name === "unknown-extra-fields")!
    const report = await run(extras, { strict: true })
    expect([...failedChecks(report)].sort()).toEqual(["error_envelope", "response_schema"])
    const failure = report.checks.find((c) => c.name === "response_schema")!.failures[0]!
    expect(failure.issues.join("\n")).toContain("x_unknown_extra")
  })
})
