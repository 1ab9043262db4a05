/**
 * The suite's entry: a configuration checked and resolved (defaults, the
 * one base-URL rule, check selection) before any request, then the engine
 * run over the `ContractTransport` in context. The `Contract` face exports it.
 *
 * @since 0.1.0
 */
import { BaseUrl, BodyLimit } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import { type CheckSelector, select } from "../../judge/checks.js"
import type { ContractReport, Invocation } from "../../report/model.js"
import * as Engine from "./engine.js"
import { ContractError } from "./errors.js"
import * as Request from "./request.js"
import * as NodeTransport from "./transport.js"
import type { ContractTransport } from "./transportService.js"

/**
 * Progress events (`Start`/`Done` per scenario check).
 *
 * @since 0.1.0
 * @category models
 */
export type Progress = Engine.Progress

/**
 * What to check and how.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContractConfig {
  /**
   * The base URL to which `/v1/accounts/{id}` is appended: an http(s) URL
   * without query, fragment or credentials (THE rule, `BaseUrl` from
   * `@postpress/schema`; `…/api?` is refused, never sent).
   */
  readonly baseUrl: string
  /**
   * The key sent as `X-API-KEY`. Prefer a `Redacted` (e.g. from
   * `Config.redacted`); a plain string is wrapped at once. Either way it is
   * unwrapped only to build the header and to look for it in answers.
   */
  readonly apiKey: Redacted.Redacted<string> | string
  /** Ids of accounts the key can read (any characters). */
  readonly accountIds?: ReadonlyArray<string> | undefined
  /** Ids that exist in ANOTHER workspace. */
  readonly foreignAccountIds?: ReadonlyArray<string> | undefined
  /** Seed of every generated input; random (and reported) when absent. */
  readonly seed?: number | undefined
  /** Hostile ids to send (default 50). */
  readonly runs?: number | undefined
  /** Only these checks or groups (`spec`, `security`; default: all). */
  readonly checks?: ReadonlyArray<CheckSelector> | undefined
  readonly excludeChecks?: ReadonlyArray<CheckSelector> | undefined
  /** Report unknown extra fields (default false: they are allowed). */
  readonly strict?: boolean | undefined
  /** Fail `variant_coverage` unless all 14 account types were seen. */
  readonly requireVariants?: boolean | undefined
  /** Per-request timeout (default 10 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Requests in flight (default 8). */
  readonly concurrency?: number | undefined
  /**
   * Attempts per request when THE retry policy (`RetryPolicy`) says to try
   * again: 503/504/429, no answer (default 3). A request still without an
   * answer from the API after them is not judged, with its reason.
   */
  readonly maxAttempts?: number | undefined
  /**
   * Requests per second over the whole run (every check, retries included):
   * never more than this many in any one-second window. Default: no limit.
   */
  readonly rateLimit?: number | undefined
  /** Answers slower than this are `response_time` violations (default: not checked). */
  readonly maxResponseTime?: Duration.DurationInput | undefined
  /** Fields outside the spec (drift) fail the run, each named (default false: recorded only). */
  readonly failOnDrift?: boolean | undefined
  /**
   * Bodies over this many bytes are not judged (reported as
   * `body over the 16 MiB limit (N bytes)`, never as a violation); memory
   * stays bounded by it. Default `BodyLimit.defaultMaxBytes` (16 MiB).
   */
  readonly maxBodyBytes?: number | undefined
  /** How the run was started, copied into the report (never holds the key). */
  readonly invocation?: Invocation | undefined
  readonly onProgress?: ((progress: Progress) => void) | undefined
}

const invalid = (message: string) => new ContractError({ reason: "InvalidConfig", message })

const positiveInt = (name: string, value: number | undefined, fallback: number, min = 1) =>
  value === undefined
    ? Effect.succeed(fallback)
    : Number.isInteger(value) && value >= min
      ? Effect.succeed(value)
      : Effect.fail(invalid(`${name} must be an integer ≥ ${min}, got ${value}`))

// Validates a configuration; the CLI reports these failures as usage errors.
const resolve = (config: ContractConfig): Effect.Effect<Engine.Resolved, ContractError> =>
  Effect.gen(function* () {
    // THE base-URL rule, with the message the client, the proxy and the CLI give for the same defect.
    const baseUrl = BaseUrl.parse(config.baseUrl)
    if (Either.isLeft(baseUrl)) return yield* invalid(`baseUrl: ${baseUrl.left}`)
    const apiKey = Redacted.isRedacted(config.apiKey) ? config.apiKey : Redacted.make(config.apiKey)
    if (Redacted.value(apiKey).length === 0) return yield* invalid("the API key is empty (set POSTPRESS_API_KEY)")
    const { selected, excluded, unknown } = select(config.checks, config.excludeChecks)
    if (unknown.length > 0) return yield* invalid(`unknown check(s): ${unknown.join(", ")}`)
    // A run that selects nothing would judge nothing: refused before any request.
    if (selected.size === 0) {
      return yield* invalid(
        `no check selected: --checks ${(config.checks ?? []).join(",") || "(all)"} minus --exclude-checks ${(config.excludeChecks ?? []).join(",")} leaves nothing to run`
      )
    }
    const ids = [...(config.accountIds ?? []), ...(config.foreignAccountIds ?? [])]
    const unsendable = ids.filter((id) => !Request.isSendable(id))
    if (unsendable.length > 0) {
      return yield* invalid(`account ids must be non-empty well-formed strings: ${JSON.stringify(unsendable)}`)
    }
    const timeout = Option.getOrUndefined(Duration.decodeUnknown(config.timeout ?? "10 seconds"))
    if (timeout === undefined || !Duration.isFinite(timeout) || Duration.toMillis(timeout) <= 0) {
      return yield* invalid("the timeout must be a positive finite duration")
    }
    let maxResponseTime: Duration.Duration | undefined
    if (config.maxResponseTime !== undefined) {
      maxResponseTime = Option.getOrUndefined(Duration.decodeUnknown(config.maxResponseTime))
      if (
        maxResponseTime === undefined ||
        !Duration.isFinite(maxResponseTime) ||
        Duration.toMillis(maxResponseTime) <= 0
      ) {
        return yield* invalid("the maximum response time must be a positive finite duration")
      }
    }
    return {
      baseUrl: baseUrl.right,
      target: Request.makeTarget(baseUrl.right),
      apiKey,
      accountIds: [...new Set(config.accountIds ?? [])],
      foreignAccountIds: [...new Set(config.foreignAccountIds ?? [])],
      seed: config.seed ?? (yield* Random.nextIntBetween(0, 0x7fffffff)),
      runs: yield* positiveInt("runs", config.runs, 50, 0),
      strict: config.strict ?? false,
      requireVariants: config.requireVariants ?? false,
      timeout,
      concurrency: yield* positiveInt("concurrency", config.concurrency, 8),
      maxAttempts: yield* positiveInt("maxAttempts", config.maxAttempts, 3),
      rateLimit: config.rateLimit === undefined ? undefined : yield* positiveInt("rateLimit", config.rateLimit, 0),
      maxResponseTime,
      failOnDrift: config.failOnDrift ?? false,
      maxBodyBytes: yield* positiveInt("maxBodyBytes", config.maxBodyBytes, BodyLimit.defaultMaxBytes),
      invocation: config.invocation,
      selected,
      excluded,
      onProgress: config.onProgress ?? (() => {})
    }
  })

/**
 * Runs the suite against `config.baseUrl` over the `ContractTransport` the
 * caller provides. Succeeds with the report whether or not violations were
 * found (see `report.verdict`: `pass`, `fail`, or `inconclusive` when
 * something it claims to check could not be judged: a server that cannot
 * be reached, or whose first answer is cut mid-body, gives an inconclusive
 * report whose `inconclusiveReasons` say so); fails with a
 * {@link ContractError} only for a configuration that cannot run (no check
 * selected included), before any request is sent.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (config: ContractConfig): Effect.Effect<ContractReport, ContractError, ContractTransport> =>
  Effect.flatMap(resolve(config), Engine.run)

/**
 * {@link run} over Node's `http`/`https` (`ContractTransport.layerNode`): its
 * keep-alive sockets are closed when the run ends, however it ends.
 *
 * @since 0.1.0
 * @category running
 */
export const runContract = (config: ContractConfig): Effect.Effect<ContractReport, ContractError> =>
  run(config).pipe(Effect.provide(NodeTransport.layer))
