import { test as fcTest } from "@fast-check/vitest"
import { Arbitraries } from "@postpress/contract-tests"
import { Account, AccountDecoder } from "@postpress/schema"
import { Arbitrary, Either, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compile, FAIL } from "../src/internal/fastDecoder.js"

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
})
