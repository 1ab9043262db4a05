/**
 * The contract suite in this service's own vitest run, one test per check,
 * here against the mock (a real service would point it at its staging).
 */

import { describeContract } from "@postpress/contract-tests/vitest"
import { MockServer } from "@postpress/testkit"
import { afterAll } from "vitest"

let mock: MockServer.RunningMockServer | undefined
afterAll(async () => {
  await mock?.stop()
})

describeContract(
  async () => {
    mock = await MockServer.startMockServer({ seed: 11 })
    const [own, other] = mock.workspaces
    return {
      baseUrl: mock.url,
      apiKey: own!.apiKey,
      accountIds: own!.accountIds,
      foreignAccountIds: other!.accountIds.slice(0, 3),
      runs: 20,
      seed: 11
    }
  },
  { name: "postpress contract (consumer view)" }
)
