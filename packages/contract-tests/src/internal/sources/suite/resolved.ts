/**
 * A configuration the suite can run (`run.ts` checks and resolves one before
 * any request) and the progress events a run emits: what the engine and the
 * answer judging read.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Redacted from "effect/Redacted"
import type { CheckName } from "../../judge/checks.js"
import type { Invocation } from "../../report/model.js"
import type * as Request from "./request.js"

/**
 * Progress as the run goes, for a CLI or a test reporter.
 *
 * @since 0.1.0
 * @category models
 */
export type Progress =
  | { readonly _tag: "Start"; readonly check: CheckName; readonly requests: number }
  | { readonly _tag: "Tick"; readonly check: CheckName; readonly done: number; readonly requests: number }
  | { readonly _tag: "Done"; readonly check: CheckName; readonly requests: number; readonly failures: number }

/**
 * A validated configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolved {
  /** The base URL in its normal form (`BaseUrl`). */
  readonly baseUrl: string
  readonly target: Request.Target
  readonly apiKey: Redacted.Redacted<string>
  readonly accountIds: ReadonlyArray<string>
  readonly foreignAccountIds: ReadonlyArray<string>
  readonly seed: number
  readonly runs: number
  readonly strict: boolean
  readonly requireVariants: boolean
  readonly timeout: Duration.Duration
  readonly concurrency: number
  readonly maxAttempts: number
  /** Requests per second in any one-second window; `undefined`: no limit. */
  readonly rateLimit: number | undefined
  /** Answers slower than this are `response_time` violations. */
  readonly maxResponseTime: Duration.Duration | undefined
  readonly failOnDrift: boolean
  /** Bodies over this many bytes are not judged (`body over the 16 MiB limit (N bytes)`). */
  readonly maxBodyBytes: number
  readonly invocation: Invocation | undefined
  readonly selected: ReadonlySet<CheckName>
  readonly excluded: ReadonlySet<CheckName>
  readonly onProgress: (progress: Progress) => void
}
