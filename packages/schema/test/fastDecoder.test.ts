import { test as fcTest } from "@fast-check/vitest"
import { Account, AccountDecoder, Fields } from "@postpress/schema"
import { Arbitrary, Either, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compile, FAIL, makeDecoder } from "../src/internal/fastDecoder.js"
import { brokenAccount, exoticAccount, holeyAccount } from "./utils/inputs.js"

const accountArb = Arbitrary.make(Account.Account)
const fastLenient = compile(Account.Account.ast, { strict: false })!
const fastStrict = compile(Account.Account.ast, { strict: true })!
const fullLenient = Schema.decodeUnknownEither(Account.Account)
const fullStrict = Schema.decodeUnknownEither(Account.Account, { onExcessProperty: "error" })

/** Valid accounts, each with one broken field, with extra keys, or arbitrary JSON. */
const inputs = fc.oneof(
  accountArb,
  brokenAccount,
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
  // The compiled path may send odd input to the full decode; when it answers, it answers like Effect.
  else if (actual !== FAIL) expect(actual).toStrictEqual(expected.right)
  else expect(isPlain(input)).toBe(false)
}

/** JSON-like data all the way down: the compiled path must answer these itself. */
const isPlain = (u: unknown): boolean => {
  if (u === null || typeof u !== "object") return u !== undefined
  if (Array.isArray(u))
    return Object.getPrototypeOf(u) === Array.prototype && Object.keys(u).length === u.length && u.every(isPlain)
  if (Object.getPrototypeOf(u) !== Object.prototype || Object.getOwnPropertySymbols(u).length > 0) return false
  return Reflect.ownKeys(u).every((key) => {
    const d = Object.getOwnPropertyDescriptor(u, key)!
    return d.enumerable === true && "value" in d && key !== "__proto__" && isPlain(d.value)
  })
}

/** What every public decoder must answer: Effect's own result, value included. */
const sameAsEffect = (
  ours: (u: unknown) => Either.Either<unknown, unknown>,
  effect: (u: unknown) => Either.Either<unknown, unknown>,
  input: unknown
) => {
  const expected = effect(input)
  const actual = ours(input)
  expect(Either.isRight(actual)).toBe(Either.isRight(expected))
  if (Either.isRight(actual) && Either.isRight(expected)) expect(actual.right).toStrictEqual(expected.right)
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

  const exotic = fc.oneof(
    exoticAccount.map((e) => e.value),
    holeyAccount,
    fc.anything({ withObjectString: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true })
  )

  fcTest.prop([exotic], { numRuns: 1000 })(
    "on values JSON.parse never returns (prototypes, getters, sparse arrays, __proto__, symbols): Effect's answer",
    (input) => {
      agree(fastLenient, fullLenient, input)
      agree(fastStrict, fullStrict, input)
      sameAsEffect(AccountDecoder.decodeEither, fullLenient, input)
      sameAsEffect(AccountDecoder.decodeStrictEither, fullStrict, input)
    }
  )

  it.each([
    ["every property inherited", (a: object) => Object.create(a)],
    [
      "the discriminator inherited",
      (a: object) => {
        const { type, ...rest } = a as { readonly type: string }
        return Object.assign(Object.create({ type }), rest)
      }
    ],
    ["a class instance", (a: object) => Object.assign(new (class Account {})(), a)],
    ["a null prototype", (a: object) => Object.assign(Object.create(null), a)]
  ] as const)("%s: the public decoders answer like Effect", (_, rebuild) => {
    const account = fc.sample(accountArb, { seed: 7, numRuns: 1 })[0]!
    const input = rebuild(JSON.parse(JSON.stringify(account)))
    sameAsEffect(AccountDecoder.decodeEither, fullLenient, input)
    sameAsEffect(AccountDecoder.decodeStrictEither, fullStrict, input)
  })

  it("Object.create(validAccount) is rejected, as Effect rejects it (its type is not an own property)", () => {
    const account = JSON.parse(JSON.stringify(fc.sample(accountArb, { seed: 3, numRuns: 1 })[0]!))
    expect(Either.isLeft(fullLenient(Object.create(account)))).toBe(true)
    expect(fastLenient(Object.create(account))).toBe(FAIL)
    expect(Either.isLeft(AccountDecoder.decodeEither(Object.create(account)))).toBe(true)
  })

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
