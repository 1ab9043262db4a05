import { test as fcTest } from "@fast-check/vitest"
import { Arbitraries } from "@postpress/contract-tests"
import { Account, AccountDecoder, Fields } from "@postpress/schema"
import { Arbitrary, Either, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compile, FAIL, makeDecoder } from "../src/internal/fastDecoder.js"

const accountArb = Arbitrary.make(Account.Account)
const fastLenient = compile(Account.Account.ast, { strict: false })!
const fastStrict = compile(Account.Account.ast, { strict: true })!
const fullLenient = Schema.decodeUnknownEither(Account.Account)
const fullStrict = Schema.decodeUnknownEither(Account.Account, { onExcessProperty: "error" })

/** Valid accounts, each with one broken field, with extra keys, or arbitrary JSON. */
const inputs = fc.oneof(
  accountArb,
  Arbitraries.invalidAccount.map((broken) => broken.value),
  fc.tuple(accountArb, fc.dictionary(fc.string(), fc.jsonValue())).map(([a, extra]) => ({ ...extra, ...a })),
  fc.jsonValue()
)

const agree = (
  fast: (u: unknown) => unknown,
  full: (u: unknown) => Either.Either<unknown, unknown>,
  input: unknown
) => {
  const expected = full(input)
  const actual = fast(input)
  if (Either.isLeft(expected)) expect(actual).toBe(FAIL)
  else expect(actual).toEqual(expected.right)
}

describe("the compiled fast path", () => {
  it("compiles for Account in both modes", () => {
    expect(typeof fastLenient).toBe("function")
    expect(typeof fastStrict).toBe("function")
  })

  fcTest.prop([inputs], { numRuns: 500 })(
    "lenient: accepts exactly what Effect accepts, with the same output",
    (input) => agree(fastLenient, fullLenient, input)
  )

  fcTest.prop([inputs], { numRuns: 500 })(
    "strict: accepts exactly what Effect accepts, with the same output",
    (input) => agree(fastStrict, fullStrict, input)
  )

  it("drops unknown keys and never returns the input object itself", () => {
    const account = fc.sample(accountArb, { seed: 1, numRuns: 1 })[0]!
    const input = { ...account, extra: 1 }
    const out = fastLenient(input)
    expect(out).not.toBe(input)
    expect(out).not.toHaveProperty("extra")
  })

  it("the public decoders fall back to Effect's error for invalid input", () => {
    const result = AccountDecoder.decodeEither({ type: "MOBILE" })
    expect(Either.isLeft(result)).toBe(true)
  })

  it("never lets an array through a struct guard; the full decode has the last word", () => {
    const allOptional = Schema.Struct({ a: Fields.optional(Schema.String) })
    expect(compile(allOptional.ast, { strict: false })!([])).toBe(FAIL)
    const decode = makeDecoder(allOptional, { strict: false })
    expect(decode([])).toEqual(Schema.decodeUnknownEither(allOptional)([]))
    expect(decode({ a: "x", b: 1 })).toEqual(Either.right({ a: "x" }))
    expect(Either.isLeft(decode({ a: 1 }))).toBe(true)
  })

  it("a schema the compiler does not handle is decoded by the full decode alone", () => {
    const withIndex = Schema.Record({ key: Schema.String, value: Schema.Number })
    expect(compile(withIndex.ast, { strict: false })).toBeUndefined()
    const decode = makeDecoder(withIndex, { strict: false })
    expect(decode({ a: 1 })).toEqual(Either.right({ a: 1 }))
    expect(Either.isLeft(decode({ a: "1" }))).toBe(true)
  })

  it("makeDecoder is not part of the public API", async () => {
    const schema = await import("@postpress/schema")
    expect(Object.keys(schema.AccountDecoder)).not.toContain("makeDecoder")
  })
})
