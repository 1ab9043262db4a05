import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { test as fcTest } from "@fast-check/vitest"
import { Account, AccountDecoder, DecodeIssue, SpecExample } from "@postpress/schema"
import { Arbitrary, Either, Match, Schema } from "effect"
import { describe, expect, it } from "vitest"

const example: unknown = SpecExample.retrieveAccountResponse
const accountArb = Arbitrary.make(Account.Account)
const decodeAll = Schema.decodeUnknownEither(Account.Account, { errors: "all" })

const issuesOf = (input: unknown) => {
  const result = decodeAll(input)
  return Either.isLeft(result) ? DecodeIssue.fromParseError(result.left) : []
}

describe("the spec's example response", () => {
  it("decodes as a LINKEDIN account", () => {
    const account = AccountDecoder.decodeSync(example)
    expect(account.type).toBe("LINKEDIN")
    if (account.type !== "LINKEDIN") throw new Error("narrowing")
    expect(account.connection_params.im.premiumId).toBeNull()
    expect(account.connection_params.im.organizations[0]?.messaging_enabled).toBe(true)
  })

  it("is the example block of the spec file (when ../shared/spec is present)", (ctx) => {
    const specPath = join(import.meta.dirname, "../../../../shared/spec/retrieve-an-account.txt")
    if (!existsSync(specPath)) return ctx.skip()
    const spec = readFileSync(specPath, "utf8")
    const block = spec.slice(
      spec.indexOf("Example response\n") + "Example response\n".length,
      spec.indexOf("Example request")
    )
    expect(JSON.parse(block)).toEqual(SpecExample.retrieveAccountResponse)
  })

  it("round-trips through encode", () => {
    expect(AccountDecoder.encode(AccountDecoder.decodeSync(example))).toEqual(example)
  })
})

describe("variants", () => {
  it("has the 14 provider types in the spec's order", () => {
    expect(Account.accountTypes).toEqual([
      "MOBILE",
      "MAIL",
      "GOOGLE_OAUTH",
      "ICLOUD",
      "OUTLOOK",
      "GOOGLE_CALENDAR",
      "WHATSAPP",
      "LINKEDIN",
      "SLACK",
      "TWITTER",
      "EXCHANGE",
      "TELEGRAM",
      "INSTAGRAM",
      "MESSENGER"
    ])
  })

  it("rejects an unknown type with a message naming the value and the 14 known ones", () => {
    const lines = issuesOf({ ...(example as object), type: "FAX" }).map(DecodeIssue.formatIssue)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('got "FAX"')
    for (const type of Account.accountTypes) expect(lines[0]).toContain(`"${type}"`)
  })

  it("match is exhaustive and narrows", () => {
    const describeAccount = Account.match({
      MOBILE: (a) => a.connection_params.call.phone_number,
      MAIL: (a) => a.connection_params.mail.imap_host,
      GOOGLE_OAUTH: (a) => a.connection_params.calendar.username,
      ICLOUD: (a) => a.connection_params.mail.smtp_host,
      OUTLOOK: (a) => a.connection_params.mail.username,
      GOOGLE_CALENDAR: (a) => a.connection_params.calendar,
      WHATSAPP: (a) => a.connection_params.im.phone_number,
      LINKEDIN: (a) => a.connection_params.im.username,
      SLACK: (a) => a.connection_params.im.team,
      TWITTER: (a) => a.connection_params.im.username,
      EXCHANGE: (a) => a.connection_params.mail.imap_user,
      TELEGRAM: (a) => a.connection_params.im.user_id,
      INSTAGRAM: (a) => a.connection_params.im.id,
      MESSENGER: (a) => a.connection_params.im.username
    })
    expect(describeAccount(AccountDecoder.decodeSync(example))).toBe("anna-doe")
  })
})

describe("lenient and strict decoding", () => {
  const withExtras = {
    ...(example as object),
    future_field: 1,
    connection_params: {
      im: { ...(example as { connection_params: { im: object } }).connection_params.im, beta: true }
    }
  }

  it("drops unknown fields by default", () => {
    const account = AccountDecoder.decodeSync(withExtras)
    expect(account).not.toHaveProperty("future_field")
    expect(account.connection_params).toEqual((example as { connection_params: unknown }).connection_params)
  })

  it("rejects them in strict mode, naming each", () => {
    const result = AccountDecoder.decodeStrictEither(withExtras)
    if (Either.isRight(result)) throw new Error("strict decode accepted unknown fields")
    expect(DecodeIssue.format(result.left).split("\n").sort()).toEqual([
      "connection_params.im.beta: unexpected property, got true",
      "future_field: unexpected property, got 1"
    ])
  })
})

describe("datetimes", () => {
  const at = (created_at: unknown) => ({ ...(example as object), created_at })
  it.each(["2025-12-31T23:59:59.999Z", "2024-02-29T00:00:00.000Z", "2000-01-01T00:00:00.000Z"])(
    "accepts %s",
    (value) => {
      expect(Either.isRight(AccountDecoder.decodeEither(at(value)))).toBe(true)
    }
  )
  it.each([
    "2025-02-30T10:00:00.000Z",
    "2023-02-29T00:00:00.000Z",
    "2025-12-31T23:59:60.000Z",
    "2025-12-31T24:00:00.000Z",
    "2025-12-31T23:59:59Z",
    "2025-12-31T23:59:59.99Z",
    "2025-12-31T23:59:59.999+00:00",
    "2025-12-31 23:59:59.999Z",
    "2025-13-01T00:00:00.000Z",
    " 2025-12-31T23:59:59.999Z"
  ])("rejects %s with a message naming created_at", (value) => {
    const lines = issuesOf(at(value)).map(DecodeIssue.formatIssue)
    expect(lines).toEqual([
      `created_at: expected an ISO 8601 UTC datetime YYYY-MM-DDTHH:MM:SS.sssZ naming a real calendar instant, got ${JSON.stringify(value)}`
    ])
  })
})

describe("properties", () => {
  fcTest.prop([accountArb])("every generated account decodes and round-trips", (account) => {
    const json: unknown = JSON.parse(JSON.stringify(account))
    const decoded = AccountDecoder.decodeSync(json)
    expect(AccountDecoder.encode(decoded)).toEqual(json)
  })

  // One broken field per type: packages/testkit/test/schema-invalid-accounts.test.ts
  // (the generator of broken accounts lives in @postpress/testkit).
})

describe("Standard Schema v1", () => {
  it("validates with the lenient reading and reports issues with paths", async () => {
    const ok = await AccountDecoder.standardSchema["~standard"].validate({ ...(example as object), extra: 1 })
    expect(ok.issues).toBeUndefined()
    expect(ok).toMatchObject({ value: { type: "LINKEDIN" } })
    expect(ok).not.toHaveProperty("value.extra")
    const bad = await AccountDecoder.standardSchema["~standard"].validate({
      ...(example as object),
      created_at: "yesterday"
    })
    expect(bad.issues?.[0]?.path).toEqual(["created_at"])
  })
})

describe("the effect/Match recipe", () => {
  it("discriminatorsExhaustive over type", () => {
    const kind = Match.type<Account.Account>().pipe(
      Match.discriminatorsExhaustive("type")({
        MOBILE: () => "phone",
        MAIL: () => "mail",
        GOOGLE_OAUTH: () => "mail",
        ICLOUD: () => "mail",
        OUTLOOK: () => "mail",
        GOOGLE_CALENDAR: () => "calendar",
        WHATSAPP: () => "im",
        LINKEDIN: (a) => `im:${a.connection_params.im.username}`,
        SLACK: () => "im",
        TWITTER: () => "im",
        EXCHANGE: () => "mail",
        TELEGRAM: () => "im",
        INSTAGRAM: () => "im",
        MESSENGER: () => "im"
      })
    )
    expect(kind(AccountDecoder.decodeSync(example))).toBe("im:anna-doe")
  })
})

describe("a hostile discriminator", () => {
  // Effect 3.22's union decoder reads `String(input.type)`, which throws for these (valid JSON).
  const hostile = ['{"type":{"toString":""}}', '{"type":{"toString":"","valueOf":""},"id":"acc_1"}']

  it.each(hostile)("%s is a decode error naming type, never a thrown TypeError", (text) => {
    const input: unknown = JSON.parse(text)
    for (const decode of [AccountDecoder.decodeEither, AccountDecoder.decodeStrictEither]) {
      const result = decode(input)
      expect(Either.isLeft(result) && DecodeIssue.format(result.left)).toMatch(
        /^type: expected "MOBILE" \| .*, got an object$/
      )
    }
    const validated = AccountDecoder.standardSchema["~standard"].validate(input)
    expect("issues" in validated && validated.issues?.[0]?.path).toEqual(["type"])
  })
})
