/**
 * `ConfigRules`, the rules every config Schema is built from: each rule
 * accepts what it says and refuses everything else with ONE message,
 * `expected X, got Y` (the value shown quoted, escaped and cut; a key
 * never), a negative duration is never read as zero, and a refused decode
 * becomes `{ path, message }` issues, one per option in the Schema's order.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { BaseUrl, BodyLimit, ConfigRules } from "../src/index.js"

/** The one message `schema` refuses `input` with (a test failure if it accepts it). */
const refusal = (schema: Schema.Schema.AnyNoContext, input: unknown): string => {
  const decoded = Schema.decodeUnknownEither(schema)(input)
  if (Either.isRight(decoded)) throw new Error(`accepted ${String(input)}`)
  const issues = ConfigRules.issues(decoded.left)
  expect(issues).toHaveLength(1)
  return issues[0].message
}

const durationWords = '(e.g. "30 seconds" or milliseconds)'

/** [rule, input, the one message] */
const refusals: ReadonlyArray<readonly [Schema.Schema.AnyNoContext, unknown, string | undefined]> = [
  [ConfigRules.Integer({ minimum: 1 }), 0, "expected an integer ≥ 1, got 0"],
  [ConfigRules.Integer({ minimum: 0 }), 1.5, "expected an integer ≥ 0, got 1.5"],
  [ConfigRules.Integer({ minimum: 1 }), "8", 'expected an integer ≥ 1, got "8"'],
  [ConfigRules.Integer({ minimum: 2, maximum: 8 }), 9, "expected an integer from 2 to 8, got 9"],
  [ConfigRules.Integer(), Number.NaN, "expected an integer, got NaN"],
  [ConfigRules.Integer(), 2 ** 60, `expected an integer, got ${2 ** 60}`],
  [ConfigRules.Port, 70_000, "expected a port, an integer from 0 to 65535 (0: a free one), got 70000"],
  [ConfigRules.Port, null, "expected a port, an integer from 0 to 65535 (0: a free one), got null"],
  [ConfigRules.Flag, "yes", 'expected true or false, got "yes"'],
  [ConfigRules.Host, "", 'expected a host name or address, got ""'],
  [ConfigRules.FilePath, 3, "expected a file path, got 3"],
  [ConfigRules.ByteSize, 0, "expected a size of at least 1 byte, got 0"],
  [ConfigRules.ByteSize, 1.5, "expected a whole number of bytes, got 1.5"],
  [ConfigRules.ByteSize, null, "expected a size in bytes (a number, or text as 16MiB), got null"],
  [ConfigRules.ByteSize, "12 parsecs", Either.getOrThrow(Either.flip(BodyLimit.parseSize("12 parsecs")))],
  [ConfigRules.Duration(), "0 millis", `expected a positive duration ${durationWords}, got "0 millis"`],
  [ConfigRules.Duration(), "soon", `expected a positive duration ${durationWords}, got "soon"`],
  [ConfigRules.Duration(), Duration.infinity, `expected a positive duration ${durationWords}, got Duration(Infinity)`],
  [
    ConfigRules.Duration({ infinity: true }),
    0,
    `expected a positive duration or Duration.infinity ${durationWords}, got 0`
  ],
  [ConfigRules.Duration({ zero: true }), -1, `expected a duration ≥ 0 ${durationWords}, got -1`],
  [ConfigRules.Duration({ zero: true }), "-2 seconds", `expected a duration ≥ 0 ${durationWords}, got "-2 seconds"`],
  [ConfigRules.Duration({ zero: true }), Number.NaN, `expected a duration ≥ 0 ${durationWords}, got NaN`],
  [ConfigRules.Duration({ zero: true }), [-1, 0], `expected a duration ≥ 0 ${durationWords}, got [-1,0]`],
  [ConfigRules.BaseUrlInput, 3, "expected a base URL, as text or a URL, got 3"],
  [ConfigRules.BaseUrlInput, "ftp://x", BaseUrl.defect("ftp://x")],
  [ConfigRules.BaseUrlInput, new URL("http://x/api#"), BaseUrl.defect("http://x/api#")]
]

describe("each rule refuses with one message: expected X, got Y", () => {
  it.each(refusals.map(([rule, input, message]) => ({ rule, input, message })))(
    "$message",
    ({ rule, input, message }) => {
      expect(refusal(rule, input)).toBe(message)
    }
  )

  it("a value is shown quoted, escaped (no control reaches a terminal) and cut at 80 characters", () => {
    expect(refusal(ConfigRules.Flag, "\u001b]52;c;eA==\u0007\u009b")).toBe(
      'expected true or false, got "\\u001b]52;c;eA==\\u0007\\x9b"'
    )
    expect(refusal(ConfigRules.Flag, "x".repeat(100))).toBe(`expected true or false, got "${"x".repeat(75)}..."`)
    expect(ConfigRules.shown([..."y".repeat(100)]).length).toBeLessThanOrEqual(81)
    expect(ConfigRules.shown(Redacted.make("pp_live_never_shown"))).toBe("<redacted>")
    expect(ConfigRules.shown(() => 1)).toBe("a function")
    expect(ConfigRules.shown({ a: [1, "b"] })).toBe('{"a":[1,"b"]}')
  })

  it("accepts what each rule says, decoded to what the run reads", () => {
    const decode = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
      Either.getOrThrow(Schema.decodeUnknownEither(schema)(input))
    expect(decode(ConfigRules.ByteSize, "512KiB")).toBe(524_288)
    expect(decode(ConfigRules.ByteSize, 1)).toBe(1)
    expect(Duration.toMillis(decode(ConfigRules.Duration(), "2 seconds"))).toBe(2000)
    expect(Duration.toMillis(decode(ConfigRules.Duration({ zero: true }), 0))).toBe(0)
    expect(decode(ConfigRules.Duration({ infinity: true }), Duration.infinity)).toEqual(Duration.infinity)
    expect(decode(ConfigRules.BaseUrlInput, new URL("HTTP://Staging.Example.com:80/api/"))).toBe(
      "http://staging.example.com/api"
    )
    expect(decode(ConfigRules.Port, 0)).toBe(0)
  })

  it.prop(
    "a duration rule accepts exactly the positive finite durations, however written",
    // Below a microsecond Effect's Duration rounds to zero: not what a config means by a time.
    [
      FastCheck.oneof(
        FastCheck.double({ noNaN: true }).filter((millis) => !(millis > 0 && millis < 1e-3)),
        FastCheck.integer({ min: -5, max: 1e9 })
      )
    ],
    ([millis]) => {
      const decoded = Schema.decodeUnknownEither(ConfigRules.Duration())(millis)
      expect(Either.isRight(decoded)).toBe(millis > 0 && Number.isFinite(millis))
      const asText = Schema.decodeUnknownEither(ConfigRules.Duration())(`${millis} millis`)
      // Effect's text form has no exponent: `1e+21 millis` is no duration.
      if (!String(millis).includes("e")) expect(Either.isRight(asText)).toBe(Either.isRight(decoded))
    }
  )
})

describe("the API key: text or Redacted, never shown", () => {
  const expected = "expected an API key (printable ASCII without spaces)"

  it("decodes text and a Redacted to a Redacted", () => {
    const fromText = Either.getOrThrow(Schema.decodeUnknownEither(ConfigRules.ApiKey)("pp_live_abc"))
    expect(Redacted.isRedacted(fromText) && Redacted.value(fromText)).toBe("pp_live_abc")
    const given = Redacted.make("pp_live_abc")
    expect(Either.getOrThrow(Schema.decodeUnknownEither(ConfigRules.ApiKey)(given))).toBe(given)
  })

  it.each([
    ["", `${expected}, got an empty key`],
    [Redacted.make("pp live"), `${expected}, got a key with a space, a control or a non-ASCII character (not shown)`],
    [Redacted.make(42), `${expected}, got a Redacted that is not text`],
    [42, `${expected}, got a number`],
    [{}, `${expected}, got an object`],
    [undefined, `${expected}, got undefined`],
    [null, `${expected}, got null`]
  ] as const)("%#: refuses %s", (input, message) => {
    expect(refusal(ConfigRules.ApiKey, input)).toBe(message)
  })

  it("RedactedApiKey refuses plain text too, without showing it", () => {
    expect(refusal(ConfigRules.RedactedApiKey, "pp_live_plain_text_key")).toBe(
      "expected an API key (printable ASCII without spaces), got plain text (not shown): pass Redacted.make(key)"
    )
  })

  it.prop(
    "no refusal shows the key, as text or Redacted, whatever it holds",
    [FastCheck.string({ minLength: 6 }).filter((key) => !/^[\x21-\x7e]+$/.test(key) && key.trim().length >= 6)],
    ([key]) => {
      for (const schema of [ConfigRules.ApiKey, ConfigRules.RedactedApiKey] as const) {
        for (const input of [key, Redacted.make(key)]) {
          const decoded = Schema.decodeUnknownEither(schema as Schema.Schema<unknown, unknown>)(input)
          expect(Either.isLeft(decoded)).toBe(true)
          if (Either.isLeft(decoded)) {
            expect(String(decoded.left)).not.toContain(key.trim())
            expect(JSON.stringify(ConfigRules.issues(decoded.left))).not.toContain(
              JSON.stringify(key.trim()).slice(1, -1)
            )
          }
        }
      }
    }
  )
})

describe("a config: Struct, issues, format, decode", () => {
  const Options = ConfigRules.Struct({
    port: Schema.optionalWith(ConfigRules.Port, { default: () => 0 }),
    retries: ConfigRules.Integer({ minimum: 0 }),
    strict: Schema.optional(ConfigRules.Flag)
  })
  const decodeAll = Schema.decodeUnknownEither(Options, { errors: "all" })

  it("every refused option, once each, in the Schema's order; the line names each option", () => {
    const refused = decodeAll({ strict: "no", retries: -1, port: 70_000 })
    if (Either.isRight(refused)) throw new Error("accepted")
    const issues = ConfigRules.issues(refused.left)
    expect(issues.map((issue) => issue.path)).toEqual([["port"], ["retries"], ["strict"]])
    expect(ConfigRules.format(issues)).toBe(
      'port: expected a port, an integer from 0 to 65535 (0: a free one), got 70000; retries: expected an integer ≥ 0, got -1; strict: expected true or false, got "no"'
    )
  })

  it("an input that is no object is refused as a whole, by its kind only (a key there is not shown)", () => {
    for (const [input, kind] of [
      [null, "null"],
      ["pp_live_secret_key", "a string"],
      [[1], "an array"],
      [undefined, "undefined"]
    ] as const) {
      const refused = decodeAll(input)
      if (Either.isRight(refused)) throw new Error("accepted")
      expect(ConfigRules.issues(refused.left)).toEqual([
        { path: [], message: `expected an object of options, got ${kind}` }
      ])
    }
  })

  it("a rule over several options has the path [] and reads alone", () => {
    expect(
      ConfigRules.format([
        { path: [], message: "nothing selected" },
        { path: ["a", 0], message: "m" }
      ])
    ).toBe("nothing selected; a.0: m")
  })

  it.effect("decode fails with the caller's error made of the issues, every one", () =>
    Effect.gen(function* () {
      const decode = ConfigRules.decode(Options, (issues) => ({ _tag: "Refused" as const, issues }))
      const error = yield* Effect.flip(decode({ retries: 1.5, port: -1 }))
      expect(error.issues.map((issue) => issue.path[0])).toEqual(["port", "retries"])
      expect(yield* decode({ retries: 2 })).toEqual({ port: 0, retries: 2 })
    })
  )
})
