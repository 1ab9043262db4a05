/**
 * The one grammar of every `postpress` flag value, as Schemas from the text
 * a user types to the value a library takes: whole numbers, numbers,
 * durations (`500ms`, `2s`, `1.5s`, `1m`, `1h`, or Effect's `"250 millis"`)
 * and comma-separated lists. Sizes (`16MiB`) are text the libraries' config
 * Schemas read themselves (THE size rule, `BodyLimit.parseSize`). Only the spelling is judged here; what a value may
 * be (a port's range, a check's name, a positive timeout) is the rule of the
 * library's config Schema the command decodes into.
 *
 * @internal
 */
import { ConfigRules } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as DurationText from "./duration.js"

const refuse = (ast: Schema.Schema.AnyNoContext["ast"], text: string, message: string) =>
  ParseResult.fail(new ParseResult.Type(ast, text, message))

/** `12` → 12; `abc`, `1.5` → `expected a whole number, got "abc"`. */
export const WholeNumber = Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (text, _, ast) =>
    /^\s*[+-]?\d+\s*$/.test(text)
      ? ParseResult.succeed(Number(text))
      : refuse(ast, text, `expected a whole number, got ${ConfigRules.shown(text)}`),
  encode: (n) => ParseResult.succeed(String(n))
})

/** `0.1` → 0.1; `lots` → `expected a number, got "lots"`. */
export const Decimal = Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (text, _, ast) => {
    const n = text.trim() === "" ? Number.NaN : Number(text)
    return Number.isFinite(n)
      ? ParseResult.succeed(n)
      : refuse(ast, text, `expected a number, got ${ConfigRules.shown(text)}`)
  },
  encode: (n) => ParseResult.succeed(String(n))
})

/**
 * A duration in the one grammar. Only the spelling is judged here: whether
 * zero is allowed is the config Schema's rule; `positive` only words the
 * message of a flag that must be above zero (`expected a positive duration
 * like 500ms, …, got "soon"`).
 */
export const DurationFromText = (options: { readonly positive: boolean }) =>
  Schema.transformOrFail(Schema.String, Schema.DurationFromSelf, {
    strict: true,
    decode: (text, _, ast) =>
      Option.match(DurationText.parse(text), {
        onNone: () =>
          refuse(
            ast,
            text,
            `expected a ${options.positive ? "positive " : ""}duration like ${DurationText.examples}, got ${ConfigRules.shown(text)}`
          ),
        onSome: ParseResult.succeed
      }),
    encode: (d) => ParseResult.succeed(`${Duration.toMillis(d)}ms`)
  })

/** `a, b,,c` → `["a", "b", "c"]`. */
export const CommaList = Schema.transform(Schema.String, Schema.Array(Schema.String), {
  strict: true,
  decode: (text) =>
    text
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  encode: (items) => items.join(",")
})

/** What the size grammar accepts, for help text. */
export const sizeExamples = "1048576, 512KiB, 16MiB, 1GiB, 10MB"

/** What the duration grammar accepts, for help text. */
export const durationExamples = DurationText.examples

/** `503,504` → `[503, 504]`; an item that is not a whole number is refused with the text. */
export const WholeNumberList = Schema.transformOrFail(Schema.String, Schema.Array(Schema.Number), {
  strict: true,
  decode: (text, _, ast) => {
    const items = text.split(",").map((item) => item.trim())
    return items.every((item) => /^\d+$/.test(item))
      ? ParseResult.succeed(items.map(Number))
      : refuse(ast, text, `expected comma-separated whole numbers, got ${ConfigRules.shown(text)}`)
  },
  encode: (numbers) => ParseResult.succeed(numbers.join(","))
})
