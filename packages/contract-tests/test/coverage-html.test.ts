/**
 * The mock's coverage as a page (`ContractHtml.coverage`, what `postpress
 * mock --coverage-html FILE` writes): the testkit returns the coverage as
 * data, the renderers draw it.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import { AccountsApi } from "@postpress/schema"
import * as MockServer from "@postpress/testkit/MockServer"
import * as Effect from "effect/Effect"
import * as ContractHtml from "../src/ContractHtml.js"

describe("ContractHtml.coverage", () => {
  it.scoped("renders as one HTML page with a grid per kind, the hint on every gap", () =>
    Effect.gen(function* () {
      const mock = yield* MockServer.make({ coverage: true })
      const id = mock.workspaces[0]!.accountIds[1]!
      const status = yield* Effect.promise(() =>
        fetch(`${mock.url}/v1/accounts/${encodeURIComponent(id)}`, {
          headers: { [AccountsApi.apiKeyHeader]: mock.workspaces[0]!.apiKey }
        }).then(async (res) => {
          await res.arrayBuffer()
          return res.status
        })
      )
      expect(status).toBe(200)
      const page = ContractHtml.coverage(yield* mock.coverage, mock.workspaces)
      expect(page).toMatch(/^<!doctype html>/)
      expect(page).toContain('id="types"')
      expect(page).toContain('id="errors"')
      expect(page).toContain('id="behaviours"')
      expect(page.match(/class="cell seen"/g)).toHaveLength(1)
      expect(page.match(/class="cell missing"/g)).toHaveLength(13 + 32 + 6)
      expect(page).toContain("send x-mock-fault: 503:errors/no_handler")
      expect(page).not.toContain("<script")
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})
