import { test as fcTest } from "@fast-check/vitest"
import { Account, DecodeIssue, SpecExample } from "@postpress/schema"
import { Either, ParseResult, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { brokenAccount, exoticAccount } from "./utils/inputs.js"

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

describe("DecodeIssue on Effect's ArrayFormatter", () => {
  const strict = Schema.decodeUnknownEither(Account.Account, { errors: "all", onExcessProperty: "error" })
  const failure = (input: unknown) => {
    const result = strict(input)
    if (Either.isRight(result)) throw new Error("expected a decode failure")
    return result.left
  }

  it("lists the problems in the formatter's order, at the formatter's paths", () => {
    const im = { ...example.connection_params.im, organizations: [{ name: "A", messaging_enabled: "yes" }] }
    const error = failure({ ...example, id: "", extra: 1, connection_params: { im } })
    expect(DecodeIssue.fromParseError(error).map((issue) => issue.path)).toEqual(
      ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => issue.path)
    )
  })

  it("unexpectedPaths are the formatter's Unexpected issues (drift), nothing else", () => {
    const im = { ...example.connection_params.im, beta: true }
    const error = failure({ ...example, id: "", extra: 1, connection_params: { im } })
    expect(DecodeIssue.unexpectedPaths(error)).toEqual([["extra"], ["connection_params", "im", "beta"]])
    expect(DecodeIssue.format(error).split("\n")).toEqual([
      "extra: unexpected property, got 1",
      "connection_params.im.beta: unexpected property, got true",
      'id: expected a non-empty string (UniqueId, length ≥ 1), got ""'
    ])
  })

  it("a missing discriminator expects every member's literal", () => {
    const { type: _, ...rest } = example
    const [line] = formatted(rest)
    expect(line).toMatch(/^type: expected "MOBILE" \| "MAIL" \| .* \| "MESSENGER", got undefined$/)
  })

  it("an inherited discriminator is missing, as Effect reads it", () => {
    const { type, ...rest } = example
    const [line] = formatted(Object.assign(Object.create({ type }), rest))
    expect(line).toMatch(/^type: expected "MOBILE" \| /)
  })
})

describe("DecodeIssue over any failure", () => {
  const strict = Schema.decodeUnknownEither(Account.Account, { errors: "all", onExcessProperty: "error" })
  const inputs = fc.oneof(
    brokenAccount,
    exoticAccount.map((e) => e.value),
    fc.jsonValue(),
    fc.dictionary(fc.constantFrom("type", "id", "name", "object", "x"), fc.jsonValue())
  )

  fcTest.prop([inputs], { numRuns: 400 })(
    "one issue per formatter issue, at its path, each worded 'expected X, got Y' (or the schema's message)",
    (input) => {
      const result = strict(input)
      if (Either.isRight(result)) return
      const formatter = ParseResult.ArrayFormatter.formatErrorSync(result.left)
      const issues = DecodeIssue.fromParseError(result.left)
      expect(issues.map((i) => i.path)).toEqual(formatter.map((i) => i.path))
      for (const [n, issue] of issues.entries()) {
        expect(issue.message.endsWith(`, got ${issue.actual}`)).toBe(true)
        if (formatter[n]!._tag === "Unexpected") expect(issue.expected).toBe("never")
        // A missing key's type is found in the schema, never left blank.
        if (formatter[n]!._tag === "Missing") expect(issue.expected).not.toBe("a value")
      }
    }
  )
})
