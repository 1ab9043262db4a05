/**
 * THE rule for an API key, behind `ConfigRules.ApiKey` and
 * `ConfigRules.RedactedApiKey`: its message says what is wrong with a key,
 * never what the key is.
 *
 * @internal
 */
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { kindOf } from "./kindOf.js"

// Keys are tokens: anything else (controls, spaces, non-ASCII) would be
// refused by the transport on every attempt, or split the request.
const KEY = /^[\x21-\x7e]+$/

const keyRule = "an API key (printable ASCII without spaces)"

/** What was given instead of a key, without showing it. */
const notAKey = (input: unknown, text: boolean): string => {
  const raw = Redacted.isRedacted(input) ? Redacted.value(input) : input
  if (typeof raw !== "string") return Redacted.isRedacted(input) ? "a Redacted that is not text" : kindOf(raw)
  if (!text && !Redacted.isRedacted(input)) return "plain text (not shown): pass Redacted.make(key)"
  return raw === "" ? "an empty key" : "a key with a space, a control or a non-ASCII character (not shown)"
}

/**
 * A key as a `Redacted` (and as text too when `text`): non-empty printable
 * ASCII without spaces, decoded to a `Redacted`.
 *
 * @internal
 */
export const make = ({ text }: { readonly text: boolean }) => {
  return Schema.declare<Redacted.Redacted<string>, Redacted.Redacted<string> | string, readonly []>(
    [],
    {
      decode: () => (input, _, ast) => {
        const raw = Redacted.isRedacted(input) ? Redacted.value(input) : text ? input : undefined
        return typeof raw === "string" && KEY.test(raw)
          ? ParseResult.succeed(Redacted.isRedacted(input) ? (input as Redacted.Redacted<string>) : Redacted.make(raw))
          : ParseResult.fail(new ParseResult.Type(ast, input))
      },
      encode: () => (key) => ParseResult.succeed(key as Redacted.Redacted<string>)
    },
    {
      identifier: "ApiKey",
      // Overrides every failure: Effect's own type message would print a plain key.
      message: (issue) => ({ message: `expected ${keyRule}, got ${notAKey(issue.actual, text)}`, override: true })
    }
  )
}
