/**
 * `Contract.Config`, the suite's ONE configuration Schema: defaults, each
 * rule's issue (its field and `ConfigRules`' words) and the message naming each field, every
 * refused field at once, the catalogue's selection rules, the key never in
 * a message, and a decoded config being a valid input that decodes to
 * itself. Decoding happens before anything is sent.
 */
import { it } from "@effect/vitest"
import { BaseUrl, BodyLimit } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { describe, expect, expectTypeOf } from "vitest"
import { Config, type ContractConfig, decode } from "../src/Contract.js"
import {
  CheckSelectors,
  checkGroups,
  checkNames,
  nothingSelectedMessage,
  unknownChecksMessage
} from "../src/ContractCheck.js"
import { type ConfigIssue, InvalidConfig } from "../src/ContractError.js"
import * as ContractHar from "../src/ContractHar.js"
import * as ContractProxy from "../src/ContractProxy.js"

const base = { baseUrl: "https://staging.example.com/api/", apiKey: "pp_live_config_key_1234" } as const

/** The key rule's words (`ConfigRules.ApiKey`): what is wrong with a key, never the key. */
const keyRule = "expected an API key (printable ASCII without spaces)"

const durationWords = '(e.g. "30 seconds" or milliseconds)'

const refused = (input: ContractConfig) =>
  Effect.flip(decode(input)).pipe(Effect.map((error): ReadonlyArray<ConfigIssue> => error.issues))

describe("Contract.Config: what a run is given, decoded once", () => {
  it.effect("applies today's defaults and normalises what it is given", () =>
    Effect.gen(function* () {
      const config = yield* decode({ ...base, accountIds: ["a", "b", "a"] })
      expect(config).toMatchObject({
        baseUrl: "https://staging.example.com/api",
        accountIds: ["a", "b"],
        foreignAccountIds: [],
        runs: 50,
        strict: false,
        requireVariants: false,
        concurrency: 8,
        maxAttempts: 3,
        failOnDrift: false,
        maxBodyBytes: BodyLimit.defaultMaxBytes
      })
      expect(Duration.toMillis(config.timeout)).toBe(10_000)
      expect(Redacted.isRedacted(config.apiKey) && Redacted.value(config.apiKey)).toBe(base.apiKey)
      for (const absent of ["seed", "rateLimit", "maxResponseTime", "checks", "excludeChecks"] as const) {
        expect(config[absent]).toBeUndefined()
      }
    })
  )

  it.effect("each rule names its field and says its words (ConfigRules'); the message names each field", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<readonly [Partial<ContractConfig>, ConfigIssue, string]> = [
        [
          { baseUrl: "https://x.test/api?" },
          { path: ["baseUrl"], message: "must not have a query (?)" },
          "baseUrl: must not have a query (?)"
        ],
        [
          { apiKey: "" },
          { path: ["apiKey"], message: `${keyRule}, got an empty key` },
          `apiKey: ${keyRule}, got an empty key`
        ],
        [
          { apiKey: "pp live key" },
          {
            path: ["apiKey"],
            message: `${keyRule}, got a key with a space, a control or a non-ASCII character (not shown)`
          },
          `apiKey: ${keyRule}, got a key with a space, a control or a non-ASCII character (not shown)`
        ],
        [
          { rateLimit: 0 },
          { path: ["rateLimit"], message: "expected an integer ≥ 1, got 0" },
          "rateLimit: expected an integer ≥ 1, got 0"
        ],
        [
          { runs: 1.5 },
          { path: ["runs"], message: "expected an integer ≥ 0, got 1.5" },
          "runs: expected an integer ≥ 0, got 1.5"
        ],
        [
          { concurrency: "8" as never },
          { path: ["concurrency"], message: 'expected an integer ≥ 1, got "8"' },
          'concurrency: expected an integer ≥ 1, got "8"'
        ],
        [
          { seed: 0.5 },
          { path: ["seed"], message: "expected an integer, got 0.5" },
          "seed: expected an integer, got 0.5"
        ],
        [
          { timeout: "0 millis" },
          { path: ["timeout"], message: `expected a positive duration ${durationWords}, got "0 millis"` },
          `timeout: expected a positive duration ${durationWords}, got "0 millis"`
        ],
        [
          { maxResponseTime: Duration.infinity },
          {
            path: ["maxResponseTime"],
            message: `expected a positive duration ${durationWords}, got Duration(Infinity)`
          },
          `maxResponseTime: expected a positive duration ${durationWords}, got Duration(Infinity)`
        ],
        [
          { checks: ["response_schema", "nope"] as never },
          { path: ["checks"], message: unknownChecksMessage(["nope"]) },
          `checks: unknown check nope; groups: ${checkGroups.join(", ")}; the checks are listed by postpress contract --help`
        ],
        [
          { checks: ["spec"], excludeChecks: ["spec"] },
          { path: [], message: nothingSelectedMessage },
          "no check selected: --checks and --exclude-checks leave nothing to run"
        ],
        [
          { accountIds: ["ok", ""] },
          { path: ["accountIds"], message: 'expected non-empty well-formed account ids, got [""]' },
          'accountIds: expected non-empty well-formed account ids, got [""]'
        ],
        [
          { strict: "yes" as never },
          { path: ["strict"], message: 'expected true or false, got "yes"' },
          'strict: expected true or false, got "yes"'
        ],
        [
          { maxBodyBytes: 0 },
          { path: ["maxBodyBytes"], message: "expected a size of at least 1 byte, got 0" },
          "maxBodyBytes: expected a size of at least 1 byte, got 0"
        ]
      ]
      for (const [change, issue, message] of cases) {
        const error = yield* Effect.flip(decode({ ...base, ...change }))
        expect(error).toBeInstanceOf(InvalidConfig)
        expect(error.issues).toEqual([issue])
        expect(error.message).toBe(message)
      }
    })
  )

  it.effect("every refused field at once, in the Schema's order", () =>
    Effect.gen(function* () {
      const issues = yield* refused({ baseUrl: "ftp://x", apiKey: "", runs: -1, maxAttempts: 0 })
      expect(issues.map((issue) => issue.path)).toEqual([["baseUrl"], ["apiKey"], ["runs"], ["maxAttempts"]])
      const error = yield* Effect.flip(decode({ baseUrl: "ftp://x", apiKey: "", runs: -1, maxAttempts: 0 }))
      expect(error.message).toBe(
        `baseUrl: ${BaseUrl.defect("ftp://x")}; apiKey: ${keyRule}, got an empty key; runs: expected an integer ≥ 0, got -1; maxAttempts: expected an integer ≥ 1, got 0`
      )
    })
  )

  it.effect("a base URL as a URL object too (the shared base-URL input), in its normal form", () =>
    Effect.map(decode({ ...base, baseUrl: new URL("HTTPS://Staging.Example.com/api/") }), (config) =>
      expect(config.baseUrl).toBe("https://staging.example.com/api")
    )
  )

  it.effect("sizes as the CLI writes them (the shared size rule): 512KiB is 524288 bytes", () =>
    Effect.map(decode({ ...base, maxBodyBytes: "512KiB" }), (config) => expect(config.maxBodyBytes).toBe(524_288))
  )

  it("InvalidConfig is ONE error: the suite's, the proxy's and the HAR reader's", () => {
    expect(InvalidConfig).toBe(ContractProxy.InvalidConfig)
    expect(InvalidConfig).toBe(ContractHar.InvalidConfig)
  })

  it.effect("the errors are tagged: catchTags reaches InvalidConfig", () =>
    decode({ ...base, rateLimit: -2 }).pipe(
      Effect.as("decoded"),
      Effect.catchTags({ InvalidConfig: (error) => Effect.succeed(error.issues[0].path.join(".")) }),
      Effect.map((handled) => expect(handled).toBe("rateLimit"))
    )
  )
})

describe("check selectors: the catalogue's names and groups, one message", () => {
  it("names up to three unknown names, each cut at 40 characters and escaped, then how many more", () => {
    const long = "x".repeat(50)
    expect(unknownChecksMessage(["osc\u001b]52;c;eA==\u0007", "\u0085bell"])).toBe(
      `unknown checks osc\\x1b]52;c;eA==\\x07, \\x85bell; groups: spec, security; the checks are listed by postpress contract --help`
    )
    expect(unknownChecksMessage(["a", "b", long, "d", "e"])).toBe(
      `unknown checks a, b, ${"x".repeat(40)}… and 2 more; groups: spec, security; the checks are listed by postpress contract --help`
    )
  })

  it("accepts exactly the check and group names, any list of them", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.array(FastCheck.constantFrom(...checkNames, ...checkGroups)), (names) => {
        expect(Schema.decodeUnknownEither(CheckSelectors)(names)).toEqual(Either.right(names))
      })
    )
    FastCheck.assert(
      FastCheck.property(
        FastCheck.string().filter(
          (name) => !(checkNames as ReadonlyArray<string>).includes(name) && name !== "spec" && name !== "security"
        ),
        (name) => {
          expect(Either.isLeft(Schema.decodeUnknownEither(CheckSelectors)(["spec", name]))).toBe(true)
        }
      )
    )
  })
})

describe("the key", () => {
  it("never appears in an error's message or issues, whatever else is wrong", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.string({ minLength: 8 }).filter((key) => key.trim().length >= 8),
        FastCheck.constantFrom<Partial<ContractConfig>>(
          { baseUrl: "nope" },
          { runs: -1 },
          { timeout: "soon" as never },
          { checks: ["x"] as never }
        ),
        FastCheck.boolean(),
        (key, wrong, redacted) => {
          const input = { ...base, ...wrong, apiKey: redacted ? Redacted.make(key) : key }
          const result = Schema.decodeUnknownEither(Config)(input, { errors: "all" })
          expect(Either.isLeft(result)).toBe(true)
          const error = Effect.runSync(Effect.flip(decode(input)))
          expect(error.message).not.toContain(key)
          expect(JSON.stringify(error.issues)).not.toContain(key)
        }
      ),
      { numRuns: 200 }
    )
  })
})

describe("a decoded config is an input", () => {
  it("decodes to itself (the CLI may decode its flags first, then run with the result)", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.record(
          {
            accountIds: FastCheck.array(FastCheck.stringMatching(/^[a-z0-9_]{1,12}$/), { maxLength: 4 }),
            runs: FastCheck.nat(200),
            concurrency: FastCheck.integer({ min: 1, max: 64 }),
            timeout: FastCheck.integer({ min: 1, max: 60_000 }),
            rateLimit: FastCheck.integer({ min: 1, max: 100 }),
            strict: FastCheck.boolean(),
            checks: FastCheck.subarray([...checkNames, ...checkGroups], { minLength: 1 })
          },
          { requiredKeys: [] }
        ),
        (options) => {
          const once = Schema.decodeUnknownEither(Config)({ ...base, ...options })
          if (Either.isLeft(once)) return
          const twice = Either.getOrThrow(Schema.decodeUnknownEither(Config)(once.right))
          expect({ ...twice, apiKey: Redacted.value(twice.apiKey) }).toEqual({
            ...once.right,
            apiKey: Redacted.value(once.right.apiKey)
          })
        }
      )
    )
  })

  it("types: the decoded config is assignable to the input; the key is a Redacted or a string", () => {
    expectTypeOf<Config>().toExtend<ContractConfig>()
    expectTypeOf<ContractConfig["apiKey"]>().toEqualTypeOf<Redacted.Redacted<string> | string>()
    expectTypeOf<Config["apiKey"]>().toEqualTypeOf<Redacted.Redacted<string>>()
    expectTypeOf<Config["baseUrl"]>().toEqualTypeOf<BaseUrl.BaseUrl>()
  })
})
