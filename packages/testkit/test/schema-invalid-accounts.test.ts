/**
 * Property tests of `@postpress/schema` that need the testkit's generator
 * of broken accounts (`Arbitraries.invalidAccount`). They live here, not in
 * the schema package, so that `@postpress/schema` never depends on
 * `@postpress/testkit` (no workspace cycle).
 */
import { test as fcTest } from "@fast-check/vitest"
import { Account, AccountDecoder, DecodeIssue, JsonSchemas } from "@postpress/schema"
import { Arbitraries } from "@postpress/testkit"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import { Arbitrary, Either, Schema } from "effect"
import fc from "fast-check"
import { describe, expect } from "vitest"

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

const decodeAll = Schema.decodeUnknownEither(Account.Account, { errors: "all" })
const issuesOf = (input: unknown) => {
  const result = decodeAll(input)
  return Either.isLeft(result) ? DecodeIssue.fromParseError(result.left) : []
}

describe("one broken field", () => {
  for (const type of Account.accountTypes) {
    fcTest.prop([Arbitraries.invalidAccountOf(type)])(`${type}: is rejected and the error path names it`, (broken) => {
      const issues = issuesOf(broken.value)
      expect(issues.length).toBeGreaterThan(0)
      // Reported on the broken field itself or below it (a replaced object reports its missing keys).
      const atOrBelow = issues.filter((i) => broken.path.every((key, n) => i.path[n] === key))
      expect(atOrBelow.map((i) => DecodeIssue.formatIssue(i))).not.toEqual([])
    })
  }
})

describe("ajv with the generated JSON Schema rejects what Effect rejects", () => {
  const ajv = new Ajv2020({ allErrors: false, strict: false })
  addFormats(ajv)
  const lenient = ajv.compile(JsonSchemas.account())
  const strict = ajv.compile(JsonSchemas.account({ strict: true }))
  const effectStrict = (u: unknown) =>
    Either.isRight(Schema.decodeUnknownEither(Account.Account, { onExcessProperty: "error" })(u))

  fcTest.prop([Arbitraries.invalidAccount.map((broken) => broken.value)], { numRuns: 500 })(
    "on accounts with one broken field (both reject)",
    (input) => {
      const json: unknown = JSON.parse(JSON.stringify(input) ?? "null")
      expect(lenient(json)).toBe(Schema.is(Account.Account)(json))
      expect(strict(json)).toBe(effectStrict(json))
      expect(lenient(json)).toBe(false)
    }
  )
})

describe("the public decoders agree with Effect on broken accounts", () => {
  const fullLenient = Schema.decodeUnknownEither(Account.Account)
  const fullStrict = Schema.decodeUnknownEither(Account.Account, { onExcessProperty: "error" })
  const inputs = fc.oneof(
    Arbitraries.invalidAccount.map((broken) => broken.value),
    Arbitrary.make(Account.Account)
  )

  fcTest.prop([inputs], { numRuns: 300 })("lenient and strict", (input) => {
    const lenient = AccountDecoder.decodeEither(input)
    const strict = AccountDecoder.decodeStrictEither(input)
    expect(Either.isRight(lenient)).toBe(Either.isRight(fullLenient(input)))
    expect(Either.isRight(strict)).toBe(Either.isRight(fullStrict(input)))
    if (Either.isRight(lenient)) expect(lenient.right).toEqual(Either.getOrThrow(fullLenient(input)))
  })
})
