import { Account, DecodeIssue, SpecExample } from "@postpress/schema"
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"

const example = SpecExample.retrieveAccountResponse as unknown as {
  connection_params: { im: Record<string, unknown> }
} & Record<string, unknown>
const decode = Schema.decodeUnknownEither(Account.Account, { errors: "all" })
const formatted = (input: unknown) => {
  const result = decode(input)
  if (Either.isRight(result)) throw new Error("expected a decode failure")
  return DecodeIssue.format(result.left).split("\n")
}

describe("DecodeIssue.format", () => {
  it("names the path and what was expected for a missing nullable field", () => {
    const { premiumId: _, ...im } = example.connection_params.im
    expect(formatted({ ...example, connection_params: { im } })).toEqual([
      "connection_params.im.premiumId: expected string | null, got undefined"
    ])
  })

  it("indexes arrays and reports every problem", () => {
    const im = { ...example.connection_params.im, organizations: [{ name: "A", messaging_enabled: "yes" }] }
    expect(formatted({ ...example, id: "", connection_params: { im } })).toEqual([
      'connection_params.im.organizations[0].messaging_enabled: expected boolean, got "yes"',
      "connection_params.im.organizations[0].organization_urn: expected string, got undefined",
      "connection_params.im.organizations[0].mailbox_urn: expected string, got undefined",
      'id: expected a non-empty string (UniqueId, length ≥ 1), got ""'
    ])
  })

  it("renders odd keys and the root", () => {
    expect(DecodeIssue.formatPath([])).toBe("(root)")
    expect(DecodeIssue.formatPath(["a b", 0, "c"])).toBe('["a b"][0].c')
    expect(formatted(null)).toEqual(["(root): expected Account, got null"])
  })

  it("truncates long values", () => {
    const actual = DecodeIssue.describeActual("x".repeat(500))
    expect(actual.length).toBeLessThanOrEqual(80)
    expect(actual.endsWith('..."')).toBe(true)
  })
})
