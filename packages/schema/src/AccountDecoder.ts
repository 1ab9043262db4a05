/**
 * Decoding accounts: lenient (unknown fields dropped, the default) and strict
 * (unknown fields rejected, for the contract suite), each with a compiled fast
 * path for conformant input that falls back to Effect's full decode — and its
 * precise error paths — whenever the input does not conform.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { Account, accountTypes } from "./Account.js"
import * as DecodeIssue from "./DecodeIssue.js"
import { makeDecoder, parseOptions } from "./internal/fastDecoder.js"

/**
 * Decode options: `strict` rejects properties the spec does not define.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeOptions {
  readonly strict?: boolean | undefined
}

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
 * `path: expected X, got Y`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeSync = (input: unknown, options: DecodeOptions = {}): Account => {
  const result = (options.strict === true ? strict : lenient)(input)
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
