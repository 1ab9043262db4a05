/**
 * Decoding accounts: lenient (unknown fields dropped, the default) and strict
 * (unknown fields rejected, for the contract suite), each with a compiled fast
 * path for conformant input that falls back to Effect's full decode — and its
 * precise error paths — whenever the input does not conform. Either may keep
 * accounts of unknown types (`unknownTypes: "keep"`) as `UnknownAccount`s
 * instead of failing on them.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { Account, accountTypes, isUnknownType, UnknownAccount } from "./Account.js"
import * as DecodeIssue from "./DecodeIssue.js"
import { makeDecoder, parseOptions } from "./internal/fastDecoder.js"

/**
 * What a decoder does with an account whose `type` is none of the 14:
 * `"fail"` (the default: the spec has 14 types) or `"keep"` it as an
 * `UnknownAccount` (its type, the fields every variant shares, and its raw
 * fields), so a reader survives the API's next provider.
 *
 * @since 0.2.0
 * @category models
 */
export type UnknownTypes = "fail" | "keep"

/**
 * Decode options: `strict` rejects properties the spec does not define (of
 * the 14 variants: an unknown type's fields are all kept in its `raw`);
 * `unknownTypes` says what an unknown `type` decodes to.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeOptions {
  readonly strict?: boolean | undefined
  /** @since 0.2.0 */
  readonly unknownTypes?: UnknownTypes | undefined
}

/**
 * What options `O` decode to: `Account`, or `Account | UnknownAccount` when
 * `O` may keep unknown types (an `unknownTypes` that may be `"keep"`).
 *
 * @since 0.2.0
 * @category models
 */
export type Decoded<O> = "unknownTypes" extends keyof O
  ? "keep" extends O["unknownTypes" & keyof O]
    ? Account | UnknownAccount
    : Account
  : Account

/**
 * Effect 3.22's union decoder picks a member by reading the discriminator as
 * `String(input.type)`, which THROWS for an object whose `toString` is not
 * callable: `{"type":{"toString":""}}` is valid JSON, so a hostile server
 * could crash every judge with it. Such a `type` is refused here first, with
 * the issue Effect gives any other value that is not a provider type.
 */
const typeLiterals = Schema.Literal(...accountTypes).ast

const unreadableType = (input: unknown): ParseResult.ParseError | undefined => {
  if (typeof input !== "object" || input === null || !Object.hasOwn(input, "type")) return undefined
  const type: unknown = (input as { readonly type: unknown }).type
  if ((typeof type !== "object" || type === null) && typeof type !== "function") return undefined
  try {
    String(type)
    return undefined
  } catch {
    return new ParseResult.ParseError({
      issue: new ParseResult.Pointer("type", input, new ParseResult.Type(typeLiterals, type))
    })
  }
}

const guarded =
  (decode: (input: unknown) => Either.Either<Account, ParseResult.ParseError>) =>
  (input: unknown): Either.Either<Account, ParseResult.ParseError> => {
    const unreadable = unreadableType(input)
    return unreadable === undefined ? decode(input) : Either.left(unreadable)
  }

// Compiled on first use, not at import (see internal/fastDecoder.ts).
const lenient = guarded(makeDecoder(Account, { strict: false }))
const strict = guarded(makeDecoder(Account, { strict: true }))

/** An object whose own `type` is a string none of the 14: an unknown type, not a broken known one. */
const hasUnknownType = (input: unknown): boolean =>
  typeof input === "object" &&
  input !== null &&
  !Array.isArray(input) &&
  Object.hasOwn(input, "type") &&
  isUnknownType((input as { readonly type: unknown }).type)

// Every field of an unknown type is kept in `raw`, so strictness has nothing to refuse there.
const decodeUnknownAccount = Schema.decodeUnknownEither(UnknownAccount, parseOptions(false))

/**
 * The known types keep their own decoder and error paths (a MOBILE account
 * missing a field is told about MOBILE's fields, never about UnknownAccount).
 */
const keeping =
  (known: (input: unknown) => Either.Either<Account, ParseResult.ParseError>) =>
  (input: unknown): Either.Either<Account | UnknownAccount, ParseResult.ParseError> =>
    hasUnknownType(input) ? decodeUnknownAccount(input) : known(input)

const lenientKeeping = keeping(lenient)
const strictKeeping = keeping(strict)

/**
 * The `Either` decoder for `options` (lenient and failing on unknown types
 * by default), typed by them: with `unknownTypes: "keep"` it returns
 * `Account | UnknownAccount`.
 *
 * @example
 * ```ts
 * import { Account, AccountDecoder } from "@postpress/schema"
 * import { Either } from "effect"
 *
 * const decode = AccountDecoder.decoder({ unknownTypes: "keep" })
 * const result = decode({
 *   type: "BLUESKY",
 *   object: "Account",
 *   id: "acc_1",
 *   name: "Ada",
 *   created_at: "2030-01-01T00:00:00.000Z",
 *   groups: [],
 *   sources: [],
 *   connection_params: { im: { handle: "ada.example" } }
 * })
 * if (Either.isRight(result) && Account.isUnknownAccount(result.right)) {
 *   result.right.type // "BLUESKY"
 *   result.right.raw.connection_params // { im: { handle: "ada.example" } }
 * }
 * ```
 *
 * @since 0.2.0
 * @category decoding
 */
export const decoder = <const O extends DecodeOptions = {}>(
  options?: O
): ((input: unknown) => Either.Either<Decoded<O>, ParseResult.ParseError>) => {
  const isStrict = options?.strict === true
  const chosen =
    options?.unknownTypes === "keep" ? (isStrict ? strictKeeping : lenientKeeping) : isStrict ? strict : lenient
  return chosen as (input: unknown) => Either.Either<Decoded<O>, ParseResult.ParseError>
}

/**
 * Decodes an account, dropping unknown fields.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeEither: (input: unknown) => Either.Either<Account, ParseResult.ParseError> = lenient

/**
 * Decodes an account, rejecting unknown fields.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeStrictEither: (input: unknown) => Either.Either<Account, ParseResult.ParseError> = strict

/**
 * Decodes an account as an Effect, dropping unknown fields.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (input: unknown): Effect.Effect<Account, ParseResult.ParseError> => lenient(input)

/**
 * Decodes an account as an Effect, rejecting unknown fields.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeStrict = (input: unknown): Effect.Effect<Account, ParseResult.ParseError> => strict(input)

/**
 * Decodes or throws an `Error` whose message lists every problem as
 * `path: expected X, got Y`; typed by `options` as {@link decoder}.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeSync = <const O extends DecodeOptions = {}>(input: unknown, options?: O): Decoded<O> => {
  const result = decoder(options)(input)
  if (Either.isRight(result)) return result.right
  throw new Error(`Invalid Account:\n${DecodeIssue.format(result.left)}`)
}

/**
 * Encodes an account back to its JSON shape; `encode(decode(x))` deep-equals `x`
 * for every valid `x` without unknown fields.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode: (account: Account) => typeof Account.Encoded = Schema.encodeSync(Account)

/**
 * A Standard Schema v1 validator for `Account`, for libraries that accept any
 * Standard Schema (lenient: unknown fields dropped).
 *
 * @since 0.1.0
 * @category interop
 */
export const standardSchema: Pick<
  ReturnType<typeof Schema.standardSchemaV1<Account, typeof Account.Encoded>>,
  "~standard"
> = (() => {
  const standard = Schema.standardSchemaV1(Account, parseOptions(false))["~standard"]
  return {
    "~standard": {
      ...standard,
      // The same guard as the decoders: a hostile `type` is an issue, never a thrown TypeError.
      validate: (value: unknown) =>
        unreadableType(value) === undefined
          ? standard.validate(value)
          : { issues: [{ message: `type: expected one of ${accountTypes.join(", ")}; got an object`, path: ["type"] }] }
    }
  }
})()
