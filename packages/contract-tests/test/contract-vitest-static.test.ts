/**
 * `describeContract` with a STATIC configuration: decoded once, at
 * collection (its plan names the checks that cannot run), and the run takes
 * the decoded config as it is; a getter on one option counts the reads.
 */

import { describeContract } from "@postpress/contract-tests/vitest"
import { startMockServer } from "@postpress/testkit/MockServer"
import { afterAll, expect, it } from "vitest"
import type { ContractConfig } from "../src/Contract.js"
import { configFor } from "../src/ContractMock.js"

const mock = await startMockServer({ seed: 5 })
afterAll(() => mock.stop())

const invocation = { tool: "postpress", version: "0.0.0", argv: ["contract"], accountIds: [] }
let reads = 0
const config: ContractConfig = {
  ...configFor(mock),
  seed: 5,
  runs: 0,
  checks: ["status_code"],
  // Read by every decode of the configuration: once, and only once.
  get invocation() {
    reads += 1
    return invocation
  }
}

describeContract(config, { name: "describeContract, a static configuration" })

it("decoded the static configuration once (collection), not again for the run", () => {
  expect(reads).toBe(1)
})
