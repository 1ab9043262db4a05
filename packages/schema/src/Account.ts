/**
 * The `Account` returned by `GET /v1/accounts/{id}`: a union of 14 provider
 * variants discriminated by `type`. Every shape is written here once; the
 * arbitraries, the mock server, the contract checks, the JSON Schemas and the
 * client derive from these schemas.
 *
 * Reading notes (see the README): `signatures` is optional, MOBILE's
 * `last_fetched_at` is an optional top-level field, LINKEDIN's `proxy` sits in
 * `connection_params.im`. Unknown extra fields are dropped by the default
 * decode and rejected by {@link decodeStrict}.
 *
 * @since 0.1.0
 */
import * as Match from "effect/Match"
import * as Schema from "effect/Schema"
import type * as Variants from "./AccountVariants.js"
import { commonFields, variants } from "./AccountVariants.js"

/**
 * The 14 variant schemas (and `variants`, all of them in the spec's order),
 * the fields they share (`commonFields`), their `connection_params`
 * schemas, and `JsonNumber` (a finite JSON number, as the spec's `number`).
 * Written, and documented, in `AccountVariants`.
 *
 * @since 0.1.0
 * @category schemas
 */
export {
  AccountSource,
  AccountSourceServiceStatus,
  commonFields,
  ExchangeAccount,
  GoogleCalendarAccount,
  GoogleCalendarConnectionParams,
  GoogleOAuthAccount,
  ICloudAccount,
  ImapEncryption,
  ImIdentityConnectionParams,
  InstagramAccount,
  JsonNumber,
  LinkedInAccount,
  LinkedInConnectionParams,
  LinkedInOrganization,
  LinkedInPremiumFeature,
  LinkedInProxy,
  MailAccount,
  MailConnectionParams,
  MessengerAccount,
  MobileAccount,
  MobileConnectionParams,
  OAuthConnectionParams,
  OutlookAccount,
  ProxyProtocol,
  Signature,
  SlackAccount,
  SlackConnectionParams,
  TelegramAccount,
  TelegramConnectionParams,
  TwitterAccount,
  UniqueId,
  variants,
  WhatsAppAccount,
  WhatsAppConnectionParams
} from "./AccountVariants.js"

/**
 * One account: the union of the 14 variants, discriminated by `type`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Account = Schema.Union(...variants).annotations({
  identifier: "Account",
  description: "One of the provider variants, picked by the `type` field."
})

/**
 * @since 0.1.0
 * @category models
 */
export type Account = typeof Account.Type

/** @since 0.1.0 @category models */
export type MobileAccount = typeof Variants.MobileAccount.Type
/** @since 0.1.0 @category models */
export type MailAccount = typeof Variants.MailAccount.Type
/** @since 0.1.0 @category models */
export type GoogleOAuthAccount = typeof Variants.GoogleOAuthAccount.Type
/** @since 0.1.0 @category models */
export type ICloudAccount = typeof Variants.ICloudAccount.Type
/** @since 0.1.0 @category models */
export type OutlookAccount = typeof Variants.OutlookAccount.Type
/** @since 0.1.0 @category models */
export type GoogleCalendarAccount = typeof Variants.GoogleCalendarAccount.Type
/** @since 0.1.0 @category models */
export type WhatsAppAccount = typeof Variants.WhatsAppAccount.Type
/** @since 0.1.0 @category models */
export type LinkedInAccount = typeof Variants.LinkedInAccount.Type
/** @since 0.1.0 @category models */
export type SlackAccount = typeof Variants.SlackAccount.Type
/** @since 0.1.0 @category models */
export type TwitterAccount = typeof Variants.TwitterAccount.Type
/** @since 0.1.0 @category models */
export type ExchangeAccount = typeof Variants.ExchangeAccount.Type
/** @since 0.1.0 @category models */
export type TelegramAccount = typeof Variants.TelegramAccount.Type
/** @since 0.1.0 @category models */
export type InstagramAccount = typeof Variants.InstagramAccount.Type
/** @since 0.1.0 @category models */
export type MessengerAccount = typeof Variants.MessengerAccount.Type

/**
 * The 14 provider types, in the spec's order (derived from {@link variants}).
 *
 * @since 0.1.0
 * @category constants
 */
export const accountTypes = variants.map((v) => v.fields.type.literals[0]) as ReadonlyArray<Account["type"]>

/**
 * The literal union of provider types.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountType: Schema.Schema<Account["type"]> = Schema.Literal(...accountTypes).annotations({
  identifier: "AccountType"
})

/**
 * @since 0.1.0
 * @category models
 */
export type AccountType = Account["type"]

/**
 * The variant of `Account` whose `type` is `T`.
 *
 * @since 0.1.0
 * @category models
 */
export type AccountOfType<T extends AccountType> = Extract<Account, { readonly type: T }>

/**
 * The variant schema for a provider type.
 *
 * @since 0.1.0
 * @category variants
 */
export const variantOf = <T extends AccountType>(type: T): Schema.Schema<AccountOfType<T>> =>
  variants[accountTypes.indexOf(type)] as unknown as Schema.Schema<AccountOfType<T>>

const knownTypes: ReadonlySet<string> = new Set(accountTypes)

/**
 * `true` for a `type` the spec does not define: a non-empty string that is
 * none of the 14. The spec's types are case-sensitive, so a lower-cased
 * `"linkedin"` is unknown too (the contract suite judges it a violation
 * unless told to keep unknown types, and then names it as drift).
 *
 * @since 0.2.0
 * @category predicates
 */
export const isUnknownType = (type: unknown): type is string =>
  typeof type === "string" && type.length > 0 && !knownTypes.has(type)

/**
 * A provider type the spec does not define (see {@link isUnknownType}).
 *
 * @since 0.2.0
 * @category schemas
 */
export const UnknownAccountType = Schema.String.pipe(
  Schema.filter(isUnknownType, {
    identifier: "UnknownAccountType",
    description: "A provider type the spec does not define: a non-empty string, none of the 14.",
    message: () =>
      `expected a provider type the spec does not define (a non-empty string other than ${accountTypes.join(", ")})`
  })
)

const RawFields = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** An account of an unknown type as the API sends it: the envelope every variant shares, any other field kept. */
const UnknownAccountJson = Schema.Struct(
  { type: UnknownAccountType, object: Schema.Literal("Account"), ...commonFields },
  RawFields
)

const UnknownAccountFields = Schema.TaggedStruct("UnknownAccount", {
  type: UnknownAccountType,
  ...commonFields,
  raw: RawFields
}).annotations({ identifier: "UnknownAccount" })

const commonKeys = Object.keys(commonFields) as ReadonlyArray<keyof typeof commonFields>

/**
 * An account whose `type` is none of the 14: what a reader that keeps
 * unknown types (`unknownTypes: "keep"`) gets for the API's next provider
 * instead of a decode error.
 *
 * Decoded: `_tag: "UnknownAccount"`, its `type`, the fields every variant
 * carries ({@link commonFields}: `id`, `name`, `created_at`, `groups`,
 * `sources`, and `current_signature`/`signatures` when present), decoded
 * and REQUIRED exactly as for the 14 variants, and `raw`: every field as
 * received, `connection_params` included. The common fields are required
 * because a new provider changes `type` and `connection_params`, not what
 * makes an account an account: an answer without an `id` is a broken
 * account, not a new type, and fails as it does today. The envelope's
 * `object: "Account"` is required for the same reason.
 *
 * Encoded, it is `raw` again, so the account can be passed on unchanged.
 *
 * @since 0.2.0
 * @category schemas
 */
export const UnknownAccount = Schema.transform(UnknownAccountJson, Schema.typeSchema(UnknownAccountFields), {
  strict: false,
  decode: (json) => {
    const common: Record<string, unknown> = {}
    for (const key of commonKeys) if (Object.hasOwn(json, key)) common[key] = json[key]
    return { _tag: "UnknownAccount", type: json.type, ...common, raw: json }
  },
  encode: (account) => account.raw
}).annotations({ identifier: "UnknownAccount", title: "An account of a type the spec does not define" })

/**
 * @since 0.2.0
 * @category models
 */
export type UnknownAccount = typeof UnknownAccount.Type

/**
 * `true` for an {@link UnknownAccount} (a decoded variant never has a `_tag`).
 *
 * @since 0.2.0
 * @category predicates
 */
export const isUnknownAccount = (account: Account | UnknownAccount): account is UnknownAccount =>
  (account as { readonly _tag?: unknown })._tag === "UnknownAccount"

/**
 * What a reader that keeps unknown types decodes: one of the 14 variants, or
 * an {@link UnknownAccount}. `AccountDecoder` decodes it with `unknownTypes:
 * "keep"` (with the known variants' own error paths); this Schema is for
 * composing and encoding.
 *
 * @since 0.2.0
 * @category schemas
 */
export const AccountOrUnknown = Schema.Union(Account, UnknownAccount).annotations({
  identifier: "AccountOrUnknown"
})

/**
 * @since 0.2.0
 * @category models
 */
export type AccountOrUnknown = Account | UnknownAccount

/**
 * Handlers for every provider type, each receiving its narrowed variant.
 *
 * @since 0.1.0
 * @category pattern matching
 */
export type AccountCases<R> = { readonly [T in AccountType]: (account: AccountOfType<T>) => R }

/**
 * {@link AccountCases} and the handler of an account whose type is none of
 * the 14, keyed `unknown` (lower case, so no provider type the API adds can
 * ever collide with it).
 *
 * @since 0.2.0
 * @category pattern matching
 */
export type TolerantAccountCases<R> = AccountCases<R> & { readonly unknown: (account: UnknownAccount) => R }

/**
 * An exhaustive matcher over `type`: leaving out a provider type is a type
 * error. With an `unknown` handler it also takes an {@link UnknownAccount}
 * (what a decoder with `unknownTypes: "keep"` returns); without one, the
 * matcher only takes `Account`, so handing it `Account | UnknownAccount` is
 * a type error: a reader that keeps unknown types must say what it does with
 * them. The known cases are exactly
 * `Match.type<Account>().pipe(Match.discriminatorsExhaustive("type")(cases))`.
 *
 * @example
 * ```ts
 * import { Account } from "@postpress/schema"
 *
 * const contact = Account.match({
 *   MOBILE: (a) => a.connection_params.call.phone_number,
 *   MAIL: (a) => a.name,
 *   GOOGLE_OAUTH: (a) => a.name,
 *   ICLOUD: (a) => a.name,
 *   OUTLOOK: (a) => a.name,
 *   GOOGLE_CALENDAR: (a) => a.name,
 *   WHATSAPP: (a) => a.name,
 *   LINKEDIN: (a) => a.connection_params.im.username,
 *   SLACK: (a) => a.name,
 *   TWITTER: (a) => a.name,
 *   EXCHANGE: (a) => a.name,
 *   TELEGRAM: (a) => a.name,
 *   INSTAGRAM: (a) => a.name,
 *   MESSENGER: (a) => a.name
 * })
 * ```
 *
 * @since 0.1.0
 * @category pattern matching
 */
export const match: {
  <R>(cases: TolerantAccountCases<R>): (account: Account | UnknownAccount) => R
  <R>(cases: AccountCases<R>): (account: Account) => R
} = <R>(
  cases: AccountCases<R> & { readonly unknown?: (account: UnknownAccount) => R }
): ((account: Account | UnknownAccount) => R) => {
  const { unknown, ...knownCases } = cases
  // Match types the result as `Unify<R>` (Effect data types merged); the value is the handler's own `R`.
  const known = Match.type<Account>().pipe(Match.discriminatorsExhaustive("type")(knownCases as AccountCases<R>)) as (
    account: Account
  ) => R
  // Without an `unknown` handler the overloads only let an `Account` in.
  if (unknown === undefined) return known as (account: Account | UnknownAccount) => R
  return (account) => (isUnknownAccount(account) ? unknown(account) : known(account))
}
