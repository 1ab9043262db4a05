/**
 * fast-check arbitraries for the postpress accounts API, derived from the
 * `@postpress/schema` schemas with `Arbitrary.make`: no shape is written
 * twice. Realistic leaves (hosts, ports, emails, phone numbers, prefixed ids)
 * are attached as annotations by property path; `anyAccount` keeps the raw,
 * edge-case-heavy derivation for decoder tests.
 *
 * They are plain fast-check arbitraries (fast-check 3, the major Effect uses),
 * so they work with `@fast-check/vitest`'s `test.prop` and `@effect/vitest`'s
 * `it.prop` alike, and a seed reproduces a run.
 *
 * @example
 * ```ts
 * import { test } from "@fast-check/vitest"
 * import { Arbitraries } from "@postpress/testkit"
 * import { Account } from "@postpress/schema"
 * import { Schema } from "effect"
 *
 * test.prop([Arbitraries.account])("decodes", (account) => {
 *   Schema.decodeUnknownSync(Account.Account)(account)
 * })
 * ```
 *
 * @since 0.1.0
 */
import { Account, ErrorCatalogue, ErrorEnvelope, IsoDateTime } from "@postpress/schema"
import * as Arbitrary from "effect/Arbitrary"
import * as FastCheck from "effect/FastCheck"
import type * as Schema from "effect/Schema"
import * as Accounts from "./internal/arbitraries/accounts.js"
import { type InvalidAccount, invalidFrom } from "./internal/arbitraries/invalid.js"
import * as Realism from "./internal/arbitraries/realism.js"

export type {
  /**
   * @since 0.1.0
   * @category models
   */
  InvalidAccount,
  /**
   * @since 0.1.0
   * @category models
   */
  ViolationKind
} from "./internal/arbitraries/invalid.js"

/**
 * A realistic account of any of the 14 types.
 *
 * @since 0.1.0
 * @category accounts
 */
export const account: FastCheck.Arbitrary<Account.Account> = Accounts.account

/**
 * A realistic account of one provider type.
 *
 * @example
 * ```ts
 * import { Arbitraries } from "@postpress/testkit"
 * import fc from "fast-check"
 *
 * fc.assert(fc.property(Arbitraries.accountOf("LINKEDIN"), (a) => a.type === "LINKEDIN"))
 * ```
 *
 * @since 0.1.0
 * @category accounts
 */
export const accountOf: <T extends Account.AccountType>(type: T) => FastCheck.Arbitrary<Account.AccountOfType<T>> =
  Accounts.accountOf

/**
 * One arbitrary per provider type, keyed by `type`.
 *
 * @since 0.1.0
 * @category accounts
 */
export const accountsByType: { readonly [T in Account.AccountType]: FastCheck.Arbitrary<Account.AccountOfType<T>> } =
  Object.fromEntries(Account.accountTypes.map((type) => [type, accountOf(type)])) as never

/**
 * One account of every provider type, in the spec's order.
 *
 * @since 0.1.0
 * @category accounts
 */
export const oneOfEachType: FastCheck.Arbitrary<ReadonlyArray<Account.Account>> = Accounts.oneOfEachType

/**
 * The plain `Arbitrary.make(Account)` derivation: any valid account, with the
 * odd strings and numbers (empty, unicode, -0, huge) a decoder must take.
 *
 * @since 0.1.0
 * @category accounts
 */
export const anyAccount: FastCheck.Arbitrary<Account.Account> = Arbitrary.make(Account.Account)

/**
 * A valid account broken in exactly ONE place, with the kind of violation,
 * its path and a description, for negative tests.
 *
 * @example
 * ```ts
 * import { test } from "@fast-check/vitest"
 * import { Arbitraries } from "@postpress/testkit"
 * import { Account } from "@postpress/schema"
 * import { Either, Schema } from "effect"
 * import { expect } from "vitest"
 *
 * test.prop([Arbitraries.invalidAccount])("rejects", ({ value }) => {
 *   const result = Schema.decodeUnknownEither(Account.Account)(value)
 *   expect(Either.isLeft(result)).toBe(true)
 * })
 * ```
 *
 * @since 0.1.0
 * @category accounts
 */
export const invalidAccount: FastCheck.Arbitrary<InvalidAccount> = invalidFrom(account)

/**
 * {@link invalidAccount} for one provider type.
 *
 * @since 0.1.0
 * @category accounts
 */
export const invalidAccountOf = (type: Account.AccountType): FastCheck.Arbitrary<InvalidAccount> =>
  invalidFrom(accountOf(type))

/**
 * A valid error envelope of one documented status: `type` from that tier,
 * `status` equal to it, and the tier's title.
 *
 * @since 0.1.0
 * @category errors
 */
export const errorEnvelope = <S extends ErrorCatalogue.ErrorStatus>(
  status: S
): FastCheck.Arbitrary<ErrorEnvelope.ErrorEnvelopeOf<S>> => {
  const { title } = ErrorCatalogue.tierOf(status)
  const envelope = ErrorEnvelope.envelopes[status] as unknown as Schema.Schema<ErrorEnvelope.ErrorEnvelopeOf<S>>
  return Arbitrary.make(envelope).map((e) => ({ ...e, title }))
}

/**
 * A valid envelope of any documented status.
 *
 * @since 0.1.0
 * @category errors
 */
export const documentedErrorEnvelope: FastCheck.Arbitrary<ErrorEnvelope.DocumentedErrorEnvelope> = FastCheck.oneof(
  ...ErrorCatalogue.errorStatuses.map(
    (s) => errorEnvelope(s) as FastCheck.Arbitrary<ErrorEnvelope.DocumentedErrorEnvelope>
  )
)

/**
 * A well-formed account id: `acc_` and a 26-character ULID, like the spec's
 * example `acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR`.
 *
 * @since 0.1.0
 * @category ids
 */
export const accountId: FastCheck.Arbitrary<string> = Accounts.accountId

/**
 * The two ids that cannot travel as a path segment: URL normalisation turns
 * them into `/v1/accounts/` and `/v1/`. Clients refuse them; kept out of
 * {@link hostileAccountId}.
 *
 * @since 0.1.0
 * @category ids
 */
export const dotSegmentIds: ReadonlyArray<string> = [".", ".."]

const nasty = [
  "/",
  "a/b",
  "../admin",
  "..%2F..%2Fetc%2Fpasswd",
  "%2F",
  "%",
  "%ZZ",
  "%00",
  "?",
  "?id=1",
  "#",
  "#frag",
  ";",
  "a;b=c",
  "&",
  "+",
  " ",
  "  leading",
  "trailing ",
  "\t",
  "\n",
  "\r\nX-Injected: 1",
  "\u0000",
  "\u202Egnp.exe",
  "\u200B",
  "\uFEFF",
  "é",
  "Ω≈ç√",
  "日本語",
  "🙂",
  "👩‍👩‍👧",
  "acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR/",
  "acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR\u0000",
  "ACC_01HXYZ4QK3WJ8FN3M6QH7TZ8GR",
  "'; DROP TABLE accounts;--",
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal log4j-style payload, not a template
  "${jndi:ldap://x}",
  "{{7*7}}",
  "\\",
  "*",
  "~"
]

/**
 * Hostile but non-empty account ids: separators (`/`, `?`, `#`, `;`), percent
 * signs and pre-encoded sequences, whitespace and control characters, unicode
 * (RTL override, zero-width, emoji, combining sequences) and long ids (up to
 * 1,024 UTF-16 units, at most ~6 KB percent-encoded: common gateways refuse a
 * longer request line with 414 before the API sees it, which would read as a
 * violation of the API). Excludes {@link dotSegmentIds}.
 *
 * @since 0.1.0
 * @category ids
 */
export const hostileAccountId: FastCheck.Arbitrary<string> = FastCheck.oneof(
  { weight: 3, arbitrary: FastCheck.constantFrom(...nasty) },
  {
    weight: 3,
    arbitrary: FastCheck.tuple(accountId, FastCheck.constantFrom(...nasty), FastCheck.boolean()).map(
      ([id, n, front]) => (front ? n + id : id + n)
    )
  },
  { weight: 2, arbitrary: FastCheck.string({ unit: FastCheck.fullUnicode(), minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: FastCheck.string({ unit: "grapheme", minLength: 1, maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: FastCheck.tuple(
      FastCheck.constantFrom("a", "é", "/", "%", "🙂"),
      FastCheck.integer({ min: 256, max: 1024 })
    ).map(([c, n]) => c.repeat(Math.ceil(n / c.length)))
  }
).filter((id) => id.length > 0 && !dotSegmentIds.includes(id))

/**
 * A realistic ISO datetime as the spec writes it (`2025-12-31T23:59:59.999Z`).
 *
 * @since 0.1.0
 * @category primitives
 */
export const isoDateTime: FastCheck.Arbitrary<string> = Arbitrary.make(IsoDateTime.IsoDateTime)

/**
 * @since 0.1.0
 * @category primitives
 */
export const email: FastCheck.Arbitrary<string> = Realism.email(FastCheck)

/**
 * @since 0.1.0
 * @category primitives
 */
export const hostname: FastCheck.Arbitrary<string> = Realism.hostname(FastCheck)

/**
 * A TCP port (1–65535), biased towards mail and proxy ports.
 *
 * @since 0.1.0
 * @category primitives
 */
export const port: FastCheck.Arbitrary<number> = Realism.port(FastCheck)

/**
 * An E.164 phone number.
 *
 * @since 0.1.0
 * @category primitives
 */
export const phoneNumber: FastCheck.Arbitrary<string> = Realism.phoneNumber(FastCheck)
