/**
 * The rules every entry point's options are built from: the client's, the
 * contract suite's, the validating proxy's, the HAR reader's and the mock's
 * config Schemas use them, and the CLI decodes its flags into those Schemas.
 * Each rule and its message are written here once, in one form,
 * `expected X, got Y`: the refused value shown quoted, escaped and cut
 * ({@link shown}); an API key never (its rule says what is wrong with it,
 * not what it is). A refused config becomes `{ path, message }` issues
 * ({@link issues}), which each package's error carries, and which a CLI
 * names after its flags.
 *
 * @example
 * import { ConfigRules } from "@postpress/schema"
 * import { Schema } from "effect"
 *
 * const Options = ConfigRules.Struct({ port: ConfigRules.Port, retries: ConfigRules.Integer({ minimum: 0 }) })
 * const refused = Schema.decodeUnknownEither(Options, { errors: "all" })({ port: 70000, retries: -1 })
 * // issues: [{ path: ["port"], message: "expected a port, an integer from 0 to 65535 (0: a free one), got 70000" },
 * //          { path: ["retries"], message: "expected an integer ≥ 0, got -1" }]
 *
 * @since 0.1.0
 */
import type * as Arr from "effect/Array"
import * as EffectDuration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as AccountDecoder from "./AccountDecoder.js"
import * as BaseUrl from "./BaseUrl.js"
import * as BodyLimit from "./BodyLimit.js"
import * as DecodeIssue from "./DecodeIssue.js"
import * as ApiKeyRule from "./internal/apiKeyRule.js"
import { kindOf } from "./internal/kindOf.js"
import * as Printable from "./Printable.js"

const MAX_SHOWN = 80

const json = (value: object): string | undefined => {
  try {
    return JSON.stringify(value)
  } catch {
    return undefined
  }
}

/**
 * A refused value as a message shows it: as `DecodeIssue.describeActual`
 * does (numbers as written, text quoted and cut), a list or an object as
 * JSON (options are the caller's own: `[503,418]` says more than "an
 * array"), a `Duration` as Effect prints it, a `Redacted` as `<redacted>`
 * (never unwrapped); at most about 80 characters, every control character
 * escaped (`Printable.text`).
 *
 * @since 0.1.0
 * @category formatting
 */
export const shown = (value: unknown): string => {
  if (Redacted.isRedacted(value)) return "<redacted>"
  if (EffectDuration.isDuration(value)) return String(value)
  if (typeof value === "function") return "a function"
  const text = typeof value === "object" && value !== null ? json(value) : undefined
  const cut = text !== undefined && text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text
  return Printable.text(cut ?? DecodeIssue.describeActual(value))
}

/** The message of every way a value can fail a rule, its type included: `expected X, got Y`. */
const refusedAs = (expected: string) => (issue: ParseResult.ParseIssue) => ({
  message: `expected ${expected}, got ${shown(issue.actual)}`,
  override: true
})

/**
 * A rule of one guard: whatever is wrong with a value (its type included),
 * it is refused with `expected ${expected}, got ${shown(value)}`. What the
 * named rules below are made of, and what a package builds its own from
 * (the mock's workspaces, fault rate, fault statuses).
 *
 * @since 0.1.0
 * @category constructors
 */
export const rule = <A>(options: {
  readonly identifier: string
  readonly is: (input: unknown) => input is A
  /** What the value must be, as the message says it: `an integer ≥ 1`. */
  readonly expected: string
  readonly jsonSchema?: object | undefined
}): Schema.Schema<A> =>
  Schema.declare(options.is, {
    identifier: options.identifier,
    jsonSchema: options.jsonSchema ?? {},
    message: refusedAs(options.expected)
  })

const integerWords = (minimum: number | undefined, maximum: number | undefined): string =>
  minimum !== undefined && maximum !== undefined
    ? `an integer from ${minimum} to ${maximum}`
    : minimum !== undefined
      ? `an integer ≥ ${minimum}`
      : maximum !== undefined
        ? `an integer ≤ ${maximum}`
        : "an integer"

/** A whole number (a safe integer) within `bounds`, refused as `expected ${expected}`. */
const boundedInteger = (
  identifier: string,
  bounds: { readonly minimum?: number | undefined; readonly maximum?: number | undefined },
  expected: string
): Schema.Schema<number> => {
  const { minimum, maximum } = bounds
  return rule({
    identifier,
    is: (input): input is number =>
      Number.isSafeInteger(input) &&
      (minimum === undefined || (input as number) >= minimum) &&
      (maximum === undefined || (input as number) <= maximum),
    expected,
    jsonSchema: {
      type: "integer",
      ...(minimum === undefined ? {} : { minimum }),
      ...(maximum === undefined ? {} : { maximum })
    }
  })
}

/**
 * A whole number (a safe integer) within the bounds given:
 * `expected an integer ≥ 1, got 0`, `expected an integer from 2 to 8, got 9`.
 *
 * @since 0.1.0
 * @category rules
 */
export const Integer = (
  bounds: { readonly minimum?: number | undefined; readonly maximum?: number | undefined } = {}
): Schema.Schema<number> => boundedInteger("Integer", bounds, integerWords(bounds.minimum, bounds.maximum))

/**
 * A TCP port to listen on, `0` for a free one.
 *
 * @since 0.1.0
 * @category rules
 */
export const Port: Schema.Schema<number> = boundedInteger(
  "Port",
  { minimum: 0, maximum: 65535 },
  "a port, an integer from 0 to 65535 (0: a free one)"
)

/**
 * `true` or `false`.
 *
 * @since 0.1.0
 * @category rules
 */
export const Flag: Schema.Schema<boolean> = rule({
  identifier: "Flag",
  is: (input): input is boolean => typeof input === "boolean",
  expected: "true or false",
  jsonSchema: { type: "boolean" }
})

/**
 * What a reader does with an account of a type the spec does not define
 * (`AccountDecoder.UnknownTypes`): `"fail"` or `"keep"` it.
 *
 * @since 0.2.0
 * @category rules
 */
export const UnknownTypes: Schema.Schema<AccountDecoder.UnknownTypes> = rule({
  identifier: "UnknownTypes",
  is: (input): input is AccountDecoder.UnknownTypes => input === "fail" || input === "keep",
  expected: '"fail" or "keep"',
  jsonSchema: { enum: ["fail", "keep"] }
})

/** Blank text names no file and no host: it is a slip, refused rather than used. */
const nonBlankText = (input: unknown): input is string => typeof input === "string" && input.trim() !== ""

/**
 * A host name or address to listen on (not blank).
 *
 * @since 0.1.0
 * @category rules
 */
export const Host: Schema.Schema<string> = rule({
  identifier: "Host",
  is: nonBlankText,
  expected: "a host name or address",
  jsonSchema: { type: "string", minLength: 1 }
})

/**
 * A file to read or write (a path that is not blank).
 *
 * @since 0.1.0
 * @category rules
 */
export const FilePath: Schema.Schema<string> = rule({
  identifier: "FilePath",
  is: nonBlankText,
  expected: "a file path",
  jsonSchema: { type: "string", minLength: 1 }
})

const sizeOf = (input: unknown): Either.Either<number, string> => {
  if (typeof input === "string") return BodyLimit.parseSize(input)
  if (typeof input !== "number")
    return Either.left(`expected a size in bytes (a number, or text as 16MiB), got ${shown(input)}`)
  if (!Number.isSafeInteger(input)) return Either.left(`expected a whole number of bytes, got ${shown(input)}`)
  return input >= 1 ? Either.right(input) : Either.left(`expected a size of at least 1 byte, got ${input}`)
}

/**
 * A size in bytes, at least 1: a whole number, or text in
 * `BodyLimit.parseSize`'s grammar (`16MiB`, `512KiB`, `1000000`) refused
 * with its message. Encodes to the number.
 *
 * @since 0.1.0
 * @category rules
 */
export const ByteSize: Schema.Schema<number, number | string> = Schema.declare<number, number | string, readonly []>(
  [],
  {
    decode: () => (input, _, ast) =>
      Either.match(sizeOf(input), {
        onLeft: (reason) => ParseResult.fail(new ParseResult.Type(ast, input, reason)),
        onRight: ParseResult.succeed
      }),
    encode: () => (bytes) => ParseResult.succeed(bytes as number)
  },
  { identifier: "ByteSize", jsonSchema: { oneOf: [{ type: "integer", minimum: 1 }, { type: "string" }] } }
)

/** Effect reads a negative or NaN duration as zero: a rule must see the sign the caller wrote. */
const isNegative = (input: unknown): boolean =>
  typeof input === "number"
    ? Number.isNaN(input) || input < 0
    : typeof input === "bigint"
      ? input < 0n
      : typeof input === "string"
        ? input.trimStart().startsWith("-")
        : Array.isArray(input) && input.some((part) => typeof part !== "number" || Number.isNaN(part) || part < 0)

/**
 * A duration as Effect takes one (`Duration.DurationInput`: a `Duration`,
 * milliseconds, `"30 seconds"`, `[seconds, nanos]`), decoded to a
 * `Duration`: positive unless `zero` is allowed, finite unless `infinity`
 * is (`Duration.infinity`: no bound, for the caller to say). A negative one
 * is refused, never read as zero:
 * `expected a positive duration (e.g. "30 seconds" or milliseconds), got "0 seconds"`.
 *
 * @since 0.1.0
 * @category rules
 */
export const Duration = (
  allow: { readonly zero?: boolean | undefined; readonly infinity?: boolean | undefined } = {}
): Schema.Schema<EffectDuration.Duration, EffectDuration.DurationInput> => {
  const zero = allow.zero ?? false
  const infinity = allow.infinity ?? false
  const least = zero ? "a duration ≥ 0" : "a positive duration"
  const expected = `${least}${infinity ? " or Duration.infinity" : ""} (e.g. "30 seconds" or milliseconds)`
  const accepts = (duration: EffectDuration.Duration): boolean =>
    (zero || EffectDuration.greaterThan(duration, EffectDuration.zero)) &&
    (infinity || EffectDuration.isFinite(duration))
  return Schema.declare<EffectDuration.Duration, EffectDuration.DurationInput, readonly []>(
    [],
    {
      decode: () => (input, _, ast) =>
        Option.match(isNegative(input) ? Option.none() : Option.filter(EffectDuration.decodeUnknown(input), accepts), {
          onNone: () => ParseResult.fail(new ParseResult.Type(ast, input)),
          onSome: ParseResult.succeed
        }),
      encode: () => (duration) => ParseResult.succeed(duration as EffectDuration.Duration)
    },
    { identifier: "Duration", message: refusedAs(expected), jsonSchema: { type: "number", minimum: 0 } }
  )
}

/**
 * The API key, as text or a `Redacted`, decoded to a `Redacted`: non-empty
 * printable ASCII without spaces (what an `X-API-KEY` header can carry).
 * No message shows it: `expected an API key (printable ASCII without
 * spaces), got an empty key`.
 *
 * @since 0.1.0
 * @category rules
 */
export const ApiKey: Schema.Schema<Redacted.Redacted<string>, Redacted.Redacted<string> | string> = ApiKeyRule.make({
  text: true
})

/**
 * {@link ApiKey} for options typed to take a `Redacted` only (the client's):
 * plain text is refused too, without being shown (`got plain text (not
 * shown): pass Redacted.make(key)`).
 *
 * @since 0.1.0
 * @category rules
 */
export const RedactedApiKey: Schema.Schema<Redacted.Redacted<string>> =
  // What it accepts at run time is a Redacted only: its encoded type says so.
  ApiKeyRule.make({ text: false }) as Schema.Schema<Redacted.Redacted<string>>

const BaseUrlText = Schema.declare<string, string | URL, readonly []>(
  [],
  {
    decode: () => (input, _, ast) =>
      typeof input === "string"
        ? ParseResult.succeed(input)
        : input instanceof URL
          ? ParseResult.succeed(input.href)
          : ParseResult.fail(new ParseResult.Type(ast, input)),
    encode: () => (text) => ParseResult.succeed(text as string)
  },
  { identifier: "BaseUrlInput", message: refusedAs("a base URL, as text or a URL") }
)

/**
 * A base URL as text or a `URL`, decoded by THE base-URL rule
 * (`BaseUrl.BaseUrl`: its normal form, or its defect's message).
 *
 * @since 0.1.0
 * @category rules
 */
export const BaseUrlInput: Schema.Schema<BaseUrl.BaseUrl, string | URL> = Schema.compose(BaseUrlText, BaseUrl.BaseUrl)

const isRecord = (input: unknown): boolean => typeof input === "object" && input !== null && !Array.isArray(input)

/**
 * A config's fields as a `Schema.Struct` whose input, when it is not an
 * object, is refused as `expected an object of options, got null` (its
 * kind only: a key passed where the options go is not shown); a refused
 * field keeps its own rule's message. A `Schema.Class` built on it keeps
 * both.
 *
 * @since 0.1.0
 * @category constructors
 */
export const Struct = <Fields extends Schema.Struct.Fields>(fields: Fields): Schema.Struct<Fields> =>
  Schema.Struct(fields).annotations({
    // On the struct itself, which (with defaults) is a transformation: only an input that is no object at all
    // is refused as a whole; otherwise the fields' own messages are the ones that say something.
    message: (issue) =>
      isRecord(issue.actual)
        ? { message: "", override: false }
        : { message: `expected an object of options, got ${kindOf(issue.actual)}`, override: true }
  })

/**
 * One thing wrong with a config: the option (its Schema path, `[]` for a
 * rule over several options or the whole input) and the rule's message.
 *
 * @since 0.1.0
 * @category models
 */
export const Issue = Schema.Struct({
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  message: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Issue extends Schema.Schema.Type<typeof Issue> {}

/**
 * The issues of a refused decode, one per option, in the Schema's order:
 * the first the Schema gives for it (an optional option is its rule or
 * `undefined`, and the rule's message is the one that says something).
 *
 * @since 0.1.0
 * @category issues
 */
export const issues = (error: ParseResult.ParseError): Arr.NonEmptyReadonlyArray<Issue> => {
  const byPath = new Map<string, Issue>()
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const path = issue.path.map((key) => (typeof key === "number" ? key : String(key)))
    const id = JSON.stringify(path)
    if (!byPath.has(id)) byPath.set(id, { path, message: issue.message })
  }
  const [first = { path: [], message: "invalid options" }, ...rest] = byPath.values()
  return [first, ...rest]
}

/**
 * Issues as one line, each `option: message` (a rule over several options
 * by its message alone), joined with `; `: the message of every error that
 * carries them, and the form a CLI prints with the flag for the option.
 *
 * @since 0.1.0
 * @category issues
 */
export const format = (refused: ReadonlyArray<Issue>): string =>
  refused.map(({ path, message }) => (path.length === 0 ? message : `${path.join(".")}: ${message}`)).join("; ")

/**
 * Decodes options with their Schema once, every refused option at once,
 * failing with the error `refused` makes of the issues.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode =
  <A, I, E>(schema: Schema.Schema<A, I>, refused: (issues: Arr.NonEmptyReadonlyArray<Issue>) => E) =>
  (input: unknown): Effect.Effect<A, E> =>
    Effect.mapError(Schema.decodeUnknown(schema, { errors: "all" })(input), (error) => refused(issues(error)))
