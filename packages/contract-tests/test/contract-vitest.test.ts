/**
 * `describeContract` used exactly as a service's CI would, here against the
 * embedded mock started by the configuration function; and the default run
 * against a mock injecting random faults.
 */

import { describeContract } from "@postpress/contract-tests/vitest"
import { type RunningMockServer, startMockServer } from "@postpress/testkit/MockServer"
import * as Effect from "effect/Effect"
import { afterAll, expect, it } from "vitest"
import { configFor, runAgainstMock } from "../src/ContractMock.js"

let mock: RunningMockServer | undefined
afterAll(() => mock?.stop())

describeContract(
  async () => {
    mock = await startMockServer({ seed: 11 })
    return { ...configFor(mock), seed: 11, runs: 10, requireVariants: true }
  },
  { name: "describeContract against the embedded mock" }
)

it("a flaky mock (30% random 503/504 faults) still gets a passing verdict thanks to the bounded retry", async () => {
  const report = await Effect.runPromise(
    runAgainstMock({ seed: 3, runs: 10, maxAttempts: 6, mock: { seed: 3, faultRate: 0.3, retryAfter: 0 } })
  )
  expect(report.retries).toBeGreaterThan(0)
  expect(report.checks.filter((c) => c.status === "fail")).toEqual([])
})
