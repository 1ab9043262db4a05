/**
 * `describeContract` used exactly as a service's CI would, here against the
 * embedded mock started by the configuration function.
 */
import { afterAll } from "vitest"
import { configFor } from "../src/ContractMock.js"
import { type RunningMockServer, startMockServer } from "../src/MockServer.js"
import { describeContract } from "../src/Vitest.js"

let mock: RunningMockServer | undefined
afterAll(() => mock?.stop())

describeContract(
  async () => {
    mock = await startMockServer({ seed: 11 })
    return { ...configFor(mock), seed: 11, runs: 10, requireVariants: true }
  },
  { name: "describeContract against the embedded mock" }
)
