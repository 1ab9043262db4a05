/**
 * `x-mock-unknown-type: 1`: the mock serves a fixture as an account of a
 * provider type none of the 14 (as the API's next provider would be), which
 * a strict reader refuses and a reader that keeps unknown types reads as an
 * `UnknownAccount`; consumer-side coverage counts it as the behaviour
 * `unknown_account_type` (required by `behaviours`), not as its fixture's type.
 */
import { Account, AccountDecoder, AccountsApi } from "@postpress/schema"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import * as MockCoverage from "../src/MockCoverage.js"
import { headers as mockHeaders, type RunningMockServer } from "../src/MockServer.js"
import { useMocks } from "./support/mocks.js"

const { start } = useMocks()

const get = async (mock: RunningMockServer, id: string, extra: Record<string, string> = {}) => {
  const res = await fetch(`${mock.url}/v1/accounts/${encodeURIComponent(id)}`, {
    headers: { [AccountsApi.apiKeyHeader]: mock.workspaces[0]!.apiKey, ...extra }
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

const keep = AccountDecoder.decoder({ unknownTypes: "keep" })

describe("x-mock-unknown-type", () => {
  it("1: every fixture comes as a 15th type, its shared fields kept; strict readers refuse it, keeping ones read it", async () => {
    const mock = await start()
    const ws = mock.workspaces[0]!
    for (const id of ws.accountIds) {
      const res = await get(mock, id, { [mockHeaders.unknownType]: "1" })
      expect(res.status).toBe(200)
      expect(res.body.type).toBe("MOCK_LATER_PROVIDER")
      expect(Account.isUnknownType(res.body.type)).toBe(true)
      expect(Either.isLeft(AccountDecoder.decodeEither(res.body))).toBe(true)
      const kept = keep(res.body)
      if (Either.isLeft(kept) || !Account.isUnknownAccount(kept.right)) throw new Error("expected an UnknownAccount")
      const {
        type: _,
        object: __,
        connection_params: ___,
        last_fetched_at: ____,
        ...shared
      } = (await get(mock, id)).body
      expect(kept.right).toMatchObject({ type: "MOCK_LATER_PROVIDER", ...shared })
      expect(kept.right.raw.connection_params).toEqual({
        mock_later: { handle: "a provider a later API version may add" }
      })
    }
    const report = await mock.coverage()
    expect(report.seen.behaviours).toEqual({ unknown_account_type: ws.accountIds.length })
    // Served as another type, a fixture does not count for its own (each was also served plain once).
    expect(Object.values(report.seen.types).reduce((a, b) => a + (b ?? 0), 0)).toBe(ws.accountIds.length)
  })

  it("combines with x-mock-extra-fields: the unknown fields ride along in raw", async () => {
    const mock = await start()
    const id = mock.workspaces[0]!.accountIds[1]!
    const res = await get(mock, id, { [mockHeaders.unknownType]: "1", [mockHeaders.extraFields]: "1" })
    const kept = keep(res.body)
    expect(Either.isRight(kept) && Account.isUnknownAccount(kept.right) && kept.right.raw.mock_added_later).toBeTypeOf(
      "string"
    )
    expect((await mock.coverage()).seen.behaviours).toEqual({ unknown_fields: 1, unknown_account_type: 1 })
  })

  it("0 is the same as leaving it out; anything else is a 400 naming the header", async () => {
    const mock = await start()
    const id = mock.workspaces[0]!.accountIds[0]!
    const plain = await get(mock, id, { [mockHeaders.unknownType]: "0" })
    expect(Account.accountTypes).toContain(plain.body.type)
    const bad = await get(mock, id, { [mockHeaders.unknownType]: "yes" })
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({
      type: "errors/invalid_parameters",
      detail: 'x-mock-unknown-type: expected 1 or 0, got "yes"'
    })
  })

  it("coverage lists it as a behaviour, a gap when behaviours are required, with the header that closes it", async () => {
    const mock = await start()
    await get(mock, mock.workspaces[0]!.accountIds[0]!)
    const report = await mock.coverage()
    expect(MockCoverage.behaviours).toContain("unknown_account_type")
    expect(MockCoverage.gaps(report, ["behaviours"])).toContain("behaviours: unknown_account_type")
    expect(MockCoverage.summaryLines(report)).toContain(
      "never served an account of an unknown type: send x-mock-unknown-type: 1"
    )
    await get(mock, mock.workspaces[0]!.accountIds[0]!, { [mockHeaders.unknownType]: "1" })
    expect(MockCoverage.gaps(await mock.coverage(), ["behaviours"])).not.toContain("behaviours: unknown_account_type")
  })
})
