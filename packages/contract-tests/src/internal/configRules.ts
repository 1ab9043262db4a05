/**
 * The rules every entry point's config Schema is built from (the suite, the
 * proxy, the HAR reader): counts, ports, durations, body sizes, the key,
 * report paths, and the one error a config that cannot be decoded gives.
 * Each rule and its message are written here once; a CLI decoding its flags
 * into the same Schemas gets the same messages (it names the flag, the
 * Schema path names the field). A leaf: it imports no stage.
 *
 * @since 0.1.0
 */
import { BodyLimit } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** A message for every way a value can fail the schema it annotates (its type included). */
const says = (message: string) => ({ message: () => ({ message, override: true }) })

/**
 * A whole number at least `minimum`.
 *
 * @internal
 */
export const Count = (minimum: number) =>
  Schema.Number.pipe(Schema.int(), Schema.greaterThanOrEqualTo(minimum)).annotations(
    says(`expected an integer ≥ ${minimum}`)
  )

/**
 * A TCP port to listen on (`0`: a free one).
 *
 * @internal
 */
export const Port = Schema.Number.pipe(Schema.int(), Schema.between(0, 65535)).annotations(
  says("expected a port, an integer from 0 to 65535 (0: a free one)")
)

/**
 * `true` or `false`.
 *
 * @internal
 */
export const Flag = Schema.Boolean.annotations(says("expected true or false"))

/**
 * A host name or address to listen on.
 *
 * @internal
 */
export const Host = Schema.String.pipe(Schema.minLength(1)).annotations(says("expected a host name or address"))

/**
 * A file to write or read: a non-empty path.
 *
 * @internal
 */
export const FilePath = Schema.String.pipe(Schema.minLength(1)).annotations(says("expected a file path"))

/**
 * A body-size limit in bytes: a whole number ≥ 1, or a size as text in
 * `BodyLimit.parseSize`'s grammar (`16MiB`, `512KiB`, `1000000`), refused
 * with its message (THE size rule, the CLI's `--max-body-size` included).
 *
 * @internal
 */
export const ByteSize: Schema.Schema<number, number | string> = Schema.transformOrFail(
  Schema.Union(Schema.Number, Schema.String).annotations(says("expected a size in bytes (a number, or text as 16MiB)")),
  Schema.Number,
  {
    strict: true,
    decode: (input, _, ast) => {
      const bytes =
        typeof input === "string"
          ? BodyLimit.parseSize(input)
          : Number.isSafeInteger(input) && input >= 1
            ? Either.right(input)
            : Either.left(`expected a size of at least 1 byte, got ${input}`)
      return Either.match(bytes, {
        onLeft: (reason) => ParseResult.fail(new ParseResult.Type(ast, input, reason)),
        onRight: ParseResult.succeed
      })
    },
    encode: ParseResult.succeed
  }
).annotations({ identifier: "ByteSize" })

const isDurationInput = (u: unknown): u is Duration.DurationInput =>
  Duration.isDuration(u) ||
  typeof u === "number" ||
  typeof u === "bigint" ||
  typeof u === "string" ||
  (Array.isArray(u) && u.length === 2)

/**
 * A duration as Effect takes one (`Duration.DurationInput`: a `Duration`,
 * milliseconds, `"30 seconds"`, `[seconds, nanos]`), decoded to a
 * `Duration`. `positive` refuses zero; a negative or unreadable one is
 * always refused. `Duration.infinity` is accepted (callers say what it means).
 *
 * @internal
 */
export const DurationFrom = (options: { readonly positive: boolean }) => {
  const wanted = options.positive ? "a positive duration" : "a duration ≥ 0"
  return Schema.transformOrFail(
    Schema.declare(isDurationInput, { identifier: "DurationInput" }),
    Schema.DurationFromSelf,
    {
      strict: true,
      decode: (input, _, ast) => {
        const decoded = Duration.decodeUnknown(input)
        const ok =
          decoded._tag === "Some" &&
          (options.positive
            ? Duration.greaterThan(decoded.value, Duration.zero)
            : Duration.greaterThanOrEqualTo(decoded.value, Duration.zero))
        return ok
          ? ParseResult.succeed(decoded.value)
          : ParseResult.fail(new ParseResult.Type(ast, input, `expected ${wanted} (e.g. "30 seconds" or milliseconds)`))
      },
      encode: (duration) => ParseResult.succeed(duration)
    }
  ).annotations(says(`expected ${wanted} (e.g. "30 seconds" or milliseconds)`))
}

/**
 * The API key as a `Redacted` string: it is unwrapped only to look for it
 * and to mask it, never printed.
 *
 * @internal
 */
export const ApiKey = Schema.RedactedFromSelf(Schema.String).annotations(says("expected a Redacted string"))

/**
 * One thing wrong with a config: the field (its Schema path) and the rule's message.
 *
 * @since 0.1.0
 * @category models
 */
export const ConfigIssue = Schema.Struct({
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  message: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ConfigIssue = typeof ConfigIssue.Type

/**
 * How a message names the suite's counts and time limits: as a sentence
 * (`rateLimit must be an integer ≥ 1, got 0`, `the maximum response time
 * must be …`), the wording its users know; any other field is named
 * `field: rule`.
 */
const subjects: { readonly [field: string]: string } = {
  runs: "runs",
  concurrency: "concurrency",
  maxAttempts: "maxAttempts",
  rateLimit: "rateLimit",
  timeout: "the timeout",
  maxResponseTime: "the maximum response time"
}

const describeIssue = ({ path, message }: ConfigIssue): string => {
  const [field] = path
  if (field === undefined) return message
  return `${(path.length === 1 && subjects[field]) || `${path.join(".")}:`} ${message}`
}

/**
 * A config that cannot be run (the suite's, the proxy's or the HAR
 * reader's): each issue names its field (`target`, `maxBodyBytes`, …; `[]`
 * for a rule over several fields) and the rule it breaks; nothing was
 * started or sent. The CLI maps each path to its flag (`--target: …`).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>()("InvalidConfig", {
  issues: Schema.NonEmptyArray(ConfigIssue)
}) {
  override get message(): string {
    return this.issues.map(describeIssue).join("; ")
  }
}

/**
 * The issues of a decode failure, one per field (the first: an optional
 * field is its rule or `undefined`, and the rule's message is the one that
 * says something), in the Schema's order.
 *
 * @internal
 */
export const invalidConfig = (error: ParseResult.ParseError): InvalidConfig => {
  const byField = new Map<string, ConfigIssue>()
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const path = issue.path.map((key) => (typeof key === "number" ? key : String(key)))
    const field = JSON.stringify(path)
    if (!byField.has(field)) byField.set(field, { path, message: issue.message })
  }
  const [first, ...rest] = byField.values()
  return new InvalidConfig({
    issues: first === undefined ? [{ path: [], message: "invalid config" }] : [first, ...rest]
  })
}

/**
 * Decodes a config once with its Schema, failing with {@link InvalidConfig}.
 *
 * @internal
 */
export const decodeWith =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (input: I): Effect.Effect<A, InvalidConfig> =>
    Effect.mapError(Schema.decodeUnknown(schema, { errors: "all" })(input), invalidConfig)
