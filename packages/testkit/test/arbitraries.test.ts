/**
 * The arbitraries: valid ones decode with the schemas, seeds reproduce,
 * `invalidAccount` breaks exactly where it says, the realism rules still
 * match the schema, and both vitest integrations accept them.
 */
import { it as effectIt } from "@effect/vitest"
import { fc, test } from "@fast-check/vitest"
import { Account, DecodeIssue, ErrorCatalogue, ErrorEnvelope, IsoDateTime } from "@postpress/schema"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import * as Arbitraries from "../src/Arbitraries.js"
import * as Realism from "../src/internal/arbitraries/realism.js"

const decodeAccount = Schema.decodeUnknownEither(Account.Account)
const encodeAccount = Schema.encodeSync(Account.Account)

describe("valid accounts", () => {
  test.prop([Arbitraries.account], { numRuns: 200 })("decode, and survive a JSON round trip", (account) => {
    const json = JSON.parse(JSON.stringify(encodeAccount(account)))
    const decoded = decodeAccount(json)
    expect(Either.isRight(decoded)).toBe(true)
    expect(Either.getOrThrow(decoded)).toEqual(account)
  })

  test.prop([Arbitraries.anyAccount], { numRuns: 100 })("the raw derivation decodes too", (account) => {
    expect(Either.isRight(decodeAccount(encodeAccount(account)))).toBe(true)
  })

  it("accountOf(type) yields that type, for all 14", () => {
    for (const type of Account.accountTypes) {
      fc.assert(
        fc.property(Arbitraries.accountOf(type), (a) => a.type === type && Schema.is(Account.variantOf(type))(a)),
        { numRuns: 20 }
      )
    }
  })

  test.prop([Arbitraries.oneOfEachType], { numRuns: 10 })("oneOfEachType covers every type", (accounts) => {
    expect(accounts.map((a) => a.type)).toEqual(Account.accountTypes)
  })

  it("leaves look real", () => {
    const accounts = fc.sample(Arbitraries.account, { seed: 1, numRuns: 200 })
    for (const a of accounts) {
      expect(a.id).toMatch(/^acc_[0-9A-HJKMNP-TV-Z]{26}$/)
      expect(IsoDateTime.isIsoDateTime(a.created_at)).toBe(true)
      if ("mail" in a.connection_params && "imap_port" in a.connection_params.mail) {
        const mail = a.connection_params.mail
        expect(Number.isInteger(mail.imap_port) && mail.imap_port > 0 && mail.imap_port < 65536).toBe(true)
        expect(mail.imap_user).toMatch(/^[^@\s]+@[a-z0-9.-]+\.[a-z]+$/)
        expect(mail.smtp_host).toMatch(/^[a-z0-9.-]+\.[a-z]+$/)
      }
      if (a.type === "MOBILE") expect(a.connection_params.im.phone_number).toMatch(/^\+[1-9]\d{7,14}$/)
    }
  })

  it("every realism rule matches some leaf of the schema (catches renamed fields)", () => {
    const fired = new Set<number>()
    Realism.annotate(Account.Account.ast, Realism.accountRules, (i) => fired.add(i))
    const unused = Realism.accountRules.filter((_, i) => !fired.has(i)).map(([pattern]) => pattern)
    expect(unused).toEqual([])
  })
})

describe("seeds reproduce", () => {
  for (const [name, arb] of [
    ["account", Arbitraries.account],
    ["invalidAccount", Arbitraries.invalidAccount],
    ["hostileAccountId", Arbitraries.hostileAccountId],
    ["documentedErrorEnvelope", Arbitraries.documentedErrorEnvelope]
  ] as const) {
    it(name, () => {
      const a = fc.sample(arb as fc.Arbitrary<unknown>, { seed: 2024, numRuns: 25 })
      const b = fc.sample(arb as fc.Arbitrary<unknown>, { seed: 2024, numRuns: 25 })
      expect(a).toEqual(b)
      expect(fc.sample(arb as fc.Arbitrary<unknown>, { seed: 2025, numRuns: 25 })).not.toEqual(a)
    })
  }
})

describe("error envelopes", () => {
  for (const status of ErrorCatalogue.errorStatuses) {
    test.prop([Arbitraries.errorEnvelope(status)], { numRuns: 30 })(`${status}: tier type, status, title`, (e) => {
      const schema = ErrorEnvelope.envelopes[status] as unknown as Schema.Schema<ErrorEnvelope.DocumentedErrorEnvelope>
      expect(Schema.is(schema)(e)).toBe(true)
      expect(e.status).toBe(status)
      expect(ErrorCatalogue.typesOf(status)).toContain(e.type)
      expect(e.title).toBe(ErrorCatalogue.tierOf(status).title)
    })
  }

  test.prop([Arbitraries.documentedErrorEnvelope])("any documented envelope decodes", (e) => {
    expect(Schema.is(ErrorEnvelope.DocumentedErrorEnvelope)(e)).toBe(true)
  })
})

describe("invalidAccount", () => {
  test.prop([Arbitraries.invalidAccount], { numRuns: 300 })(
    "fails decoding, at the described path",
    ({ value, path, description }) => {
      const result = decodeAccount(value)
      expect(Either.isLeft(result), description).toBe(true)
      if (Either.isRight(result)) return
      const issues = DecodeIssue.fromParseError(result.left)
      const startsWith = (p: ReadonlyArray<PropertyKey>) => path.every((k, i) => p[i] === k)
      expect(
        issues.some((issue) => startsWith(issue.path)),
        `${description}\n${issues.map(DecodeIssue.formatIssue).join("\n")}`
      ).toBe(true)
      expect(description.length).toBeGreaterThan(0)
    }
  )

  it("covers every kind of violation", () => {
    const kinds = new Set(fc.sample(Arbitraries.invalidAccount, { seed: 9, numRuns: 600 }).map((i) => i.kind))
    expect([...kinds].sort()).toEqual(
      [
        "discriminant_mismatch",
        "invalid_literal",
        "missing_required_key",
        "refinement",
        "unexpected_null",
        "wrong_type"
      ].sort()
    )
  })

  test.prop([Arbitraries.invalidAccount], { numRuns: 100 })(
    "the original is valid and the broken value differs from it only at the path",
    ({ value, original, path, kind }) => {
      expect(Either.isRight(decodeAccount(encodeAccount(original)))).toBe(true)
      // Blank out the broken place (and `type`, which a discriminant mismatch rewrites) in both, then compare.
      const blank = (u: unknown, p: ReadonlyArray<PropertyKey>): unknown => {
        if (p.length === 0) return "<blank>"
        const [head, ...tail] = p as [PropertyKey, ...Array<PropertyKey>]
        const copy: Record<PropertyKey, unknown> = Array.isArray(u) ? { ...u } : { ...(u as object) }
        copy[head] = blank(copy[head], tail)
        return copy
      }
      const blankAll = (u: unknown) => (kind === "discriminant_mismatch" ? blank(u, ["type"]) : blank(u, path))
      expect(blankAll(value)).toEqual(blankAll(encodeAccount(original)))
    }
  )
})

describe("account ids", () => {
  test.prop([Arbitraries.accountId])("well-formed ids decode as UniqueId", (id) => {
    expect(Schema.is(Account.UniqueId)(id)).toBe(true)
    expect(encodeURIComponent(id)).toBe(id)
  })

  test.prop([Arbitraries.hostileAccountId], { numRuns: 300 })(
    "hostile ids are non-empty, never a dot segment, and percent-encode",
    (id) => {
      expect(id.length).toBeGreaterThan(0)
      expect(Arbitraries.dotSegmentIds).not.toContain(id)
      // At most 6 KiB as a path segment: a gateway's 8 KB request-line limit (414) is not the API's answer.
      expect(encodeURIComponent(id).length).toBeLessThanOrEqual(6 * 1024)
    }
  )

  it("hostile ids cover the nasty classes", () => {
    const ids = fc.sample(Arbitraries.hostileAccountId, { seed: 5, numRuns: 2000 })
    for (const probe of [/\//, /%/, /\?/, /#/, /\s/, /\u202E/, /[^\x20-\x7E]/, /^.{1000,}$/s]) {
      expect(
        ids.some((id) => probe.test(id)),
        String(probe)
      ).toBe(true)
    }
  })
})

describe("@effect/vitest it.prop", () => {
  effectIt.prop("accepts the arbitraries", [Arbitraries.account, Arbitraries.hostileAccountId], ([account, id]) => {
    expect(Either.isRight(decodeAccount(account))).toBe(true)
    expect(id.length).toBeGreaterThan(0)
  })

  effectIt.prop(
    "and a seed reproduces",
    { envelope: Arbitraries.errorEnvelope(404) },
    ({ envelope }) => {
      expect(envelope.status).toBe(404)
    },
    { fastCheck: { seed: 42, numRuns: 20 } }
  )
})
