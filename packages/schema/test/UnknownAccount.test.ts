/**
 * Readers that survive the API's next provider: `unknownTypes: "keep"` turns
 * an account of a 15th type into a typed `UnknownAccount` (common fields
 * decoded and required, every field kept raw) and changes nothing else; the
 * default stays strict; `Account.match` demands an `unknown` handler of a
 * matcher that may meet one (checked by `tsc -b` over this file).
 */
import { test as fcTest } from "@fast-check/vitest"
import { Account, AccountDecoder, DecodeIssue } from "@postpress/schema"
import { Arbitrary, Either, FastCheck as fc, type ParseResult, Schema } from "effect"
import { describe, expect, expectTypeOf, it } from "vitest"

const bluesky = {
  type: "BLUESKY",
  object: "Account",
  id: "acc_1",
  name: "Ada",
  created_at: "2030-01-01T00:00:00.000Z",
  groups: ["grp_1"],
  sources: [{ id: "src_1", status: "OK" }],
  signatures: [{ title: "t", content: "c" }],
  connection_params: { im: { handle: "ada.example" } },
  future_field: 1
}

const keep = AccountDecoder.decoder({ unknownTypes: "keep" })
const keepStrict = AccountDecoder.decoder({ unknownTypes: "keep", strict: true })

const issueLines = (result: Either.Either<unknown, ParseResult.ParseError>): string =>
  Either.isLeft(result) ? DecodeIssue.format(result.left) : "decoded"

const accountArb = Arbitrary.make(Account.Account)
const unknownTypeArb = fc.string({ minLength: 1 }).filter(Account.isUnknownType)

describe("unknownTypes: keep", () => {
  it("decodes a 15th type to an UnknownAccount: its type, the common fields, every field raw", () => {
    const account = AccountDecoder.decodeSync(bluesky, { unknownTypes: "keep" })
    expect(Account.isUnknownAccount(account)).toBe(true)
    expect(account).toEqual({
      _tag: "UnknownAccount",
      type: "BLUESKY",
      id: "acc_1",
      name: "Ada",
      created_at: "2030-01-01T00:00:00.000Z",
      groups: ["grp_1"],
      sources: [{ id: "src_1", status: "OK" }],
      signatures: [{ title: "t", content: "c" }],
      raw: bluesky
    })
    // The optional common fields are absent when absent (exactOptionalPropertyTypes), not `undefined`.
    expect(Object.keys(account)).not.toContain("current_signature")
  })

  it("encodes back to the fields as received", () => {
    const account = AccountDecoder.decodeSync(bluesky, { unknownTypes: "keep" })
    expect(Schema.encodeSync(Account.AccountOrUnknown)(account)).toEqual(bluesky)
  })

  it("is not the default: the 14 types are the spec, a 15th fails as it always did", () => {
    expect(issueLines(AccountDecoder.decodeEither(bluesky))).toMatch(/^type: expected "MOBILE" \| "MAIL"/)
    expect(() => AccountDecoder.decodeSync(bluesky)).toThrow(/Invalid Account/)
    expect(Either.isLeft(AccountDecoder.decoder({ unknownTypes: "fail" })(bluesky))).toBe(true)
  })

  it("keeps a lower-cased known type too (the spec's types are case-sensitive), only when asked", () => {
    const linkedin = { ...bluesky, type: "linkedin" }
    expect(Either.isLeft(AccountDecoder.decodeEither(linkedin))).toBe(true)
    const kept = keep(linkedin)
    expect(Either.isRight(kept) && Account.isUnknownAccount(kept.right) && kept.right.type).toBe("linkedin")
  })

  it("requires the common fields: an unknown type without an id is a broken account, not a new one", () => {
    const { id: _, name: __, ...noId } = bluesky
    expect(issueLines(keep(noId))).toBe("id: expected UniqueId, got undefined\nname: expected string, got undefined")
    // Said as the 14 variants say it.
    const { id: ___, ...knownNoId } = { ...bluesky, type: "SLACK" }
    expect(issueLines(AccountDecoder.decodeEither(knownNoId))).toContain("id: expected UniqueId, got undefined")
    expect(issueLines(keep({ ...bluesky, object: "Thing" }))).toBe('object: expected "Account", got "Thing"')
    expect(issueLines(keep({ ...bluesky, created_at: "yesterday" }))).toMatch(/^created_at: expected an ISO 8601/)
  })

  it("leaves a type that is no string, or empty, to the known decoder and its error", () => {
    for (const type of ["", 7, null, ["MOBILE"]]) {
      const input = { ...bluesky, type }
      expect(issueLines(keep(input))).toBe(issueLines(AccountDecoder.decodeEither(input)))
      expect(Either.isLeft(keep(input))).toBe(true)
    }
    expect(Either.isLeft(keep({ type: { toString: "" } }))).toBe(true)
  })

  it("tells a broken known account by its own fields, never by UnknownAccount's", () => {
    const { connection_params: _, ...mobile } = { ...bluesky, type: "MOBILE" }
    expect(issueLines(keep(mobile))).toBe(issueLines(AccountDecoder.decodeEither(mobile)))
    expect(issueLines(keep(mobile))).not.toMatch(/UnknownAccount|spec does not define/)
  })

  it("strict refuses unknown fields of the 14 variants and keeps every field of an unknown type", () => {
    const kept = keepStrict(bluesky)
    expect(Either.isRight(kept) && Account.isUnknownAccount(kept.right) && kept.right.raw.future_field).toBe(1)
    const accounts = fc.sample(accountArb, { numRuns: 20, seed: 7 })
    for (const account of accounts) {
      const encoded = Account.AccountOrUnknown.pipe(Schema.encodeSync)(account)
      expect(Either.isLeft(keepStrict({ ...encoded, extra: 1 }))).toBe(true)
    }
  })

  fcTest.prop([accountArb])("changes nothing for the 14 types", (account) => {
    const encoded = Schema.encodeSync(Account.Account)(account)
    expect(keep(encoded)).toEqual(AccountDecoder.decodeEither(encoded))
    expect(keepStrict(encoded)).toEqual(AccountDecoder.decodeStrictEither(encoded))
  })

  fcTest.prop([accountArb, unknownTypeArb])(
    "keeps any account whose type is replaced by one the spec does not define, raw as sent",
    (account, type) => {
      const renamed = { ...Schema.encodeSync(Account.Account)(account), type }
      const result = keep(renamed)
      expect(Either.isRight(result)).toBe(true)
      if (Either.isLeft(result) || !Account.isUnknownAccount(result.right)) return
      expect(result.right.type).toBe(type)
      expect(result.right.id).toBe(account.id)
      expect(result.right.raw).toEqual(renamed)
      // The union Schema decodes it the same way.
      expect(Schema.decodeUnknownSync(Account.AccountOrUnknown)(renamed)).toEqual(result.right)
    }
  )
})

describe("Account.match", () => {
  const known = {
    MOBILE: () => "known",
    MAIL: () => "known",
    GOOGLE_OAUTH: () => "known",
    ICLOUD: () => "known",
    OUTLOOK: () => "known",
    GOOGLE_CALENDAR: () => "known",
    WHATSAPP: () => "known",
    LINKEDIN: (a: Account.LinkedInAccount) => a.connection_params.im.username,
    SLACK: () => "known",
    TWITTER: () => "known",
    EXCHANGE: () => "known",
    TELEGRAM: () => "known",
    INSTAGRAM: () => "known",
    MESSENGER: () => "known"
  }

  it("hands an UnknownAccount to the unknown handler, the 14 to theirs", () => {
    const describeAccount = Account.match({ ...known, unknown: (a) => `unknown ${a.type} ${a.name}` })
    const unknown = AccountDecoder.decodeSync(bluesky, { unknownTypes: "keep" })
    expect(describeAccount(unknown)).toBe("unknown BLUESKY Ada")
    const mobile = fc.sample(Arbitrary.make(Account.MobileAccount), { numRuns: 1, seed: 1 })[0]!
    expect(describeAccount(mobile)).toBe("known")
    // An account whose type is literally "unknown" is still an UnknownAccount, never a case key.
    expect(describeAccount(AccountDecoder.decodeSync({ ...bluesky, type: "unknown" }, { unknownTypes: "keep" }))).toBe(
      "unknown unknown Ada"
    )
  })

  it("types: a matcher without an unknown handler refuses what a keeping decoder returns", () => {
    const strictMatch = Account.match(known)
    const tolerantMatch = Account.match({ ...known, unknown: (a) => a.raw.connection_params })
    const kept = AccountDecoder.decodeSync(bluesky, { unknownTypes: "keep" })
    expectTypeOf(kept).toEqualTypeOf<Account.Account | Account.UnknownAccount>()
    type Decoded<O extends AccountDecoder.DecodeOptions> = Either.Either<
      AccountDecoder.Decoded<O>,
      ParseResult.ParseError
    >
    expectTypeOf(AccountDecoder.decoder()).returns.toEqualTypeOf<Decoded<{}>>()
    expectTypeOf<Decoded<{}>>().toEqualTypeOf<Either.Either<Account.Account, ParseResult.ParseError>>()
    expectTypeOf<AccountDecoder.Decoded<{ strict: true }>>().toEqualTypeOf<Account.Account>()
    expectTypeOf<AccountDecoder.Decoded<{ unknownTypes: "fail" }>>().toEqualTypeOf<Account.Account>()
    expectTypeOf(keepStrict).returns.toEqualTypeOf<
      Either.Either<Account.Account | Account.UnknownAccount, ParseResult.ParseError>
    >()
    // Options only known at run time may keep: the type says so.
    expectTypeOf<AccountDecoder.Decoded<AccountDecoder.DecodeOptions>>().toEqualTypeOf<
      Account.Account | Account.UnknownAccount
    >()
    expectTypeOf(tolerantMatch).parameter(0).toEqualTypeOf<Account.Account | Account.UnknownAccount>()
    expectTypeOf(strictMatch).parameter(0).toEqualTypeOf<Account.Account>()
    // @ts-expect-error: an UnknownAccount needs an `unknown` handler
    expect(() => strictMatch(kept)).toThrow()
    expect(tolerantMatch(kept)).toEqual(bluesky.connection_params)
  })
})
