/**
 * The client's options as ONE Schema (`AccountsClient.Config`): decoded once
 * by `make`, `layer` and `layerConfig`, each rule the shared one
 * (`ConfigRules`, `RetryPolicy.make`), with one message wherever the option
 * comes from; and the environment variables `layerConfig` reads.
 */
import { expect, it } from "@effect/vitest"
import { AccountsApi, BaseUrl, BodyLimit, ConfigRules, RetryPolicy } from "@postpress/schema"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { describe } from "vitest"
import * as AccountsClient from "../src/AccountsClient.js"
import type * as ClientError from "../src/ClientError.js"
import { testKey } from "./support/mock.js"

const apiKey = Redacted.make(testKey)

/** The key rule's words: the client takes a `Redacted` only. */
const keyRule = "expected an API key (printable ASCII without spaces)"

/** What the Schema says about options: the option of the first issue and its message, or the decoded config. */
const decoded = (options: unknown) =>
  Either.mapLeft(Schema.decodeUnknownEither(AccountsClient.Config)(options), (error) => {
    const [first] = ConfigRules.issues(error)
    return { argument: first.path.length === 0 ? "options" : String(first.path[0]), reason: first.message }
  })

/** What building the client says about the same options: its `InvalidArgument`, or nothing. */
const refused = (options: AccountsClient.Options) =>
  Effect.map(Effect.exit(Layer.build(AccountsClient.layer(options)).pipe(Effect.scoped)), (exit) =>
    Exit.isSuccess(exit) || exit.cause._tag !== "Fail"
      ? undefined
      : { argument: (exit.cause.error as ClientError.InvalidArgument).argument, reason: exit.cause.error.reason }
  )

describe("AccountsClient.Config", () => {
  it("applies the defaults: the default base URL, RetryPolicy.defaults as Durations, 5 redirects, 16 MiB", () => {
    const config = Either.getOrThrow(decoded({ apiKey }))
    expect(config.baseUrl).toBe(AccountsApi.defaultBaseUrl)
    expect(config.maxRetries).toBe(RetryPolicy.defaults.maxRetries)
    for (const knob of ["timeout", "deadline", "initialDelay", "maxDelay", "maxRetryAfter"] as const) {
      expect(Duration.toMillis(config[knob])).toBe(Duration.toMillis(Duration.decode(RetryPolicy.defaults[knob])))
    }
    expect(config).toMatchObject({ retryNoClientSession: false, retryRateLimited: true, maxRedirects: 5 })
    expect(config.maxResponseBytes).toBe(BodyLimit.defaultMaxBytes)
    expect(Redacted.value(config.apiKey)).toBe(testKey)
  })

  it("decodes what callers write: Duration inputs, a URL object, undefined as unset, a size as text", () => {
    const config = Either.getOrThrow(
      decoded({
        apiKey,
        baseUrl: new URL("HTTP://Staging.Example.com:80/api/"),
        timeout: "5 seconds",
        deadline: 45_000,
        initialDelay: Duration.millis(250),
        maxRetries: undefined
      })
    )
    expect(config.baseUrl).toBe("http://staging.example.com/api")
    expect([config.timeout, config.deadline, config.initialDelay].map(Duration.toMillis)).toEqual([5000, 45_000, 250])
    expect(config.maxRetries).toBe(RetryPolicy.defaults.maxRetries)
    expect(Either.getOrThrow(decoded({ apiKey, maxResponseBytes: "512KiB" })).maxResponseBytes).toBe(524_288)
  })

  it.effect(
    "a refused option is the same InvalidArgument from the Schema and from the client, with the rule's message",
    () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<readonly [AccountsClient.Options, string, string]> = [
          [{ apiKey, baseUrl: "ftp://x" }, "baseUrl", BaseUrl.defect("ftp://x")!],
          [{ apiKey, baseUrl: new URL("http://x/api#") }, "baseUrl", BaseUrl.defect("http://x/api#")!],
          [
            { apiKey: Redacted.make("a b") },
            "apiKey",
            `${keyRule}, got a key with a space, a control or a non-ASCII character (not shown)`
          ],
          [{ apiKey, maxRedirects: -1 }, "maxRedirects", "expected an integer ≥ 0, got -1"],
          [{ apiKey, maxRedirects: "5" as never }, "maxRedirects", 'expected an integer ≥ 0, got "5"'],
          [{ apiKey, maxResponseBytes: 0 }, "maxResponseBytes", "expected a size of at least 1 byte, got 0"],
          [{ apiKey, retryRateLimited: "yes" as never }, "retryRateLimited", 'expected true or false, got "yes"'],
          [
            { apiKey, deadline: "forever" as never },
            "deadline",
            'expected a positive duration or Duration.infinity (e.g. "30 seconds" or milliseconds), got "forever"'
          ],
          [{ apiKey, maxRetries: 1.5 }, "maxRetries", "expected an integer ≥ 0, got 1.5"],
          [null as never, "options", "expected an object of options, got null"]
        ]
        for (const [options, argument, reason] of cases) {
          expect(decoded(options)).toEqual(Either.left({ argument, reason }))
          expect(yield* refused(options)).toEqual({ argument, reason })
        }
      })
  )

  it("every retry knob is RetryPolicy.make's rule: it refuses exactly what the policy refuses, with its reason", () => {
    const knob = FastCheck.constantFrom(
      "maxRetries",
      "timeout",
      "deadline",
      "initialDelay",
      "maxDelay",
      "maxRetryAfter"
    )
    const value = FastCheck.oneof(
      FastCheck.double(),
      FastCheck.integer({ min: -3, max: 1e9 }),
      FastCheck.constantFrom("0 millis", "1 second", "-1 seconds", "soon", "Infinity millis", null, [1, 0])
    )
    FastCheck.assert(
      FastCheck.property(knob, value, (name, input) => {
        const policy = RetryPolicy.make({ [name]: input } as Partial<RetryPolicy.Options>)
        const config = decoded({ apiKey, [name]: input })
        expect(Either.isLeft(config)).toBe(Either.isLeft(policy))
        if (Either.isLeft(policy)) expect(config).toEqual(Either.left({ argument: name, reason: policy.left.reason }))
      })
    )
  })

  it("a key given as plain text is refused without being quoted", () => {
    const refusal = decoded({ apiKey: testKey })
    expect(refusal).toEqual(
      Either.left({ argument: "apiKey", reason: `${keyRule}, got plain text (not shown): pass Redacted.make(key)` })
    )
    expect(JSON.stringify(refusal)).not.toContain(testKey)
  })

  it("takes every knob of RetryPolicy.Options: retryAfterOverMax judged by the policy, an unbounded deadline", () => {
    const config = Either.getOrThrow(decoded({ apiKey, retryAfterOverMax: "cap", deadline: Duration.infinity }))
    expect(config.retryAfterOverMax).toBe("cap")
    expect(Duration.equals(config.deadline, Duration.infinity)).toBe(true)
    const policy = RetryPolicy.make({ retryAfterOverMax: "wait" as never })
    expect(Either.isLeft(policy)).toBe(true)
    expect(decoded({ apiKey, retryAfterOverMax: "wait" })).toEqual(
      Either.left({ argument: "retryAfterOverMax", reason: Either.isLeft(policy) ? policy.left.reason : "" })
    )
  })

  it("with several refused options, a retry knob is named first (as before the Schema)", () => {
    expect(decoded({ apiKey: Redacted.make(""), baseUrl: "ftp://x", timeout: 0 })).toMatchObject(
      Either.left({ argument: "timeout" })
    )
  })

  it("encodes back to options that decode to the same config", () => {
    const config = Either.getOrThrow(decoded({ apiKey, timeout: "2 seconds", baseUrl: "https://x.test/api/" }))
    const again = Either.getOrThrow(decoded(Schema.encodeSync(AccountsClient.Config)(config)))
    expect({ ...again, apiKey: Redacted.value(again.apiKey) }).toEqual({ ...config, apiKey: testKey })
  })

  it.effect("layerConfig decodes the environment into the same Schema: a key with a space is the apiKey rule", () =>
    Effect.gen(function* () {
      const env = ConfigProvider.fromMap(new Map([["POSTPRESS_API_KEY", "pp live"]]))
      const exit = yield* Effect.exit(
        Layer.build(AccountsClient.layerConfig()).pipe(Effect.scoped, Effect.withConfigProvider(env))
      )
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({
        _tag: "InvalidArgument",
        argument: "apiKey",
        reason: `${keyRule}, got a key with a space, a control or a non-ASCII character (not shown)`
      })
    })
  )
})

describe("configuration", () => {
  const read = (env: Record<string, string>) =>
    Effect.withConfigProvider(AccountsClient.config, ConfigProvider.fromMap(new Map(Object.entries(env))))

  it.effect("an empty POSTPRESS_BASE_URL means unset (the default base URL)", () =>
    Effect.gen(function* () {
      const empty = yield* read({ POSTPRESS_API_KEY: testKey, POSTPRESS_BASE_URL: "" })
      expect(empty.baseUrl).toBe(AccountsApi.defaultBaseUrl)
      const blank = yield* read({ POSTPRESS_API_KEY: testKey, POSTPRESS_BASE_URL: "  " })
      expect(blank.baseUrl).toBe(AccountsApi.defaultBaseUrl)
      const set = yield* read({ POSTPRESS_API_KEY: testKey, POSTPRESS_BASE_URL: "http://127.0.0.1:1/api" })
      expect(set.baseUrl).toBe("http://127.0.0.1:1/api")
    })
  )

  it.scopedLive("layerConfig with an empty POSTPRESS_BASE_URL builds the client (no InvalidArgument)", () =>
    Effect.gen(function* () {
      const provider = ConfigProvider.fromMap(
        new Map([
          ["POSTPRESS_API_KEY", testKey],
          ["POSTPRESS_BASE_URL", ""]
        ])
      )
      const exit = yield* Effect.exit(
        Layer.build(AccountsClient.layerConfig()).pipe(Effect.withConfigProvider(provider))
      )
      expect(Exit.isSuccess(exit)).toBe(true)
    })
  )

  it.scopedLive.each([
    { what: "missing", env: new Map<string, string>() },
    { what: "empty", env: new Map([["POSTPRESS_API_KEY", ""]]) }
  ])("a $what POSTPRESS_API_KEY is MissingConfig: one line naming the variable", ({ env }) =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Layer.build(AccountsClient.layerConfig()).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(env)))
      )
      if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error("expected a failure")
      const error = exit.cause.error
      expect(error._tag).toBe("MissingConfig")
      expect(error.message).toBe("POSTPRESS_API_KEY is not set: export it with your postpress API key")
      expect(error.message).not.toContain("redacted")
    })
  )
})
