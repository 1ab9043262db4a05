/**
 * The mock's coverage as a page (`ContractHtml.coverage`, what `postpress
 * mock --coverage-html FILE` writes): the testkit returns the coverage as
 * data, the renderers draw it.
 */
import { AccountsApi } from "@postpress/schema"
import { type RunningMockServer, startMockServer } from "@postpress/testkit/MockServer"
import { afterEach, describe, expect, it } from "vitest"
import * as ContractHtml from "../src/ContractHtml.js"

const started: Array<RunningMockServer> = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((mock) => mock.stop()))
})

describe("ContractHtml.coverage", () => {
  it("renders as one HTML page with a grid per kind, the hint on every gap", async () => {
    const mock = await startMockServer({ coverage: true })
    started.push(mock)
    const id = mock.workspaces[0]!.accountIds[1]!
    const res = await fetch(`${mock.url}/v1/accounts/${encodeURIComponent(id)}`, {
      headers: { [AccountsApi.apiKeyHeader]: mock.workspaces[0]!.apiKey }
    })
    expect(res.status).toBe(200)
    const page = ContractHtml.coverage(await mock.coverage(), mock.workspaces)
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).toContain('id="types"')
    expect(page).toContain('id="errors"')
    expect(page).toContain('id="behaviours"')
    expect(page.match(/class="cell seen"/g)).toHaveLength(1)
    expect(page.match(/class="cell missing"/g)).toHaveLength(13 + 32 + 5)
    expect(page).toContain("send x-mock-fault: 503:errors/no_handler")
    expect(page).not.toContain("<script")
  })
})
