/**
 * The events a run emits as it goes, shared by every source of exchanges:
 * the suite (`CheckStarted`, `CheckProgress`, `CheckDone`, `Violation`,
 * `Finished`) and the validating proxy (`Listening`, `Violation`, `Finding`,
 * `LimitReached`). They live with the report (sources may not import each
 * other, and both read this); the `ContractEvent` face exports them.
 *
 * Every `line` is human text ready for a terminal: secrets already masked
 * (the key and its forms) and control characters escaped
 * (`Printable.text`), so a consumer prints it as is.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type { CheckName } from "../judge/checks.js"
import type { ContractReport } from "./model.js"

/**
 * Every event of a run, one tagged value per case (`Data.TaggedEnum`:
 * structural equality, `_tag` to match on, {@link ContractEvent}'s
 * constructors and `$match`/`$is`).
 *
 * @since 0.1.0
 * @category models
 */
export type ContractEvent = Data.TaggedEnum<{
  /** A scenario check starts sending its `requests`. */
  readonly CheckStarted: { readonly check: CheckName; readonly requests: number }
  /** A scenario check has its final answer to `done` of its `requests` (every 50 answers). */
  readonly CheckProgress: { readonly check: CheckName; readonly done: number; readonly requests: number }
  /** A scenario check has all its answers; `failures` is its violation count so far. */
  readonly CheckDone: { readonly check: CheckName; readonly requests: number; readonly failures: number }
  /** A violation of `check`, as it is found (`line`: masked and escaped). */
  readonly Violation: { readonly check: CheckName; readonly line: string }
  /** The suite is over: its report (the last event of a suite's stream). */
  readonly Finished: { readonly report: ContractReport }
  /** The proxy listens at `url`. */
  readonly Listening: { readonly url: string }
  /** A proxy finding that is not a check's violation (an answer that is not HTTP, an upgrade refused…). */
  readonly Finding: { readonly line: string }
  /** The proxy judged its `maxRequests`: the session is about to stop. */
  readonly LimitReached: {}
}>

/**
 * The constructors (`ContractEvent.Violation({ check, line })`), `$is` and
 * `$match`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ContractEvent = Data.taggedEnum<ContractEvent>()

/**
 * @since 0.1.0
 * @category models
 */
export type CheckStarted = Data.TaggedEnum.Value<ContractEvent, "CheckStarted">

/**
 * @since 0.1.0
 * @category models
 */
export type CheckProgress = Data.TaggedEnum.Value<ContractEvent, "CheckProgress">

/**
 * @since 0.1.0
 * @category models
 */
export type CheckDone = Data.TaggedEnum.Value<ContractEvent, "CheckDone">

/**
 * @since 0.1.0
 * @category models
 */
export type Violation = Data.TaggedEnum.Value<ContractEvent, "Violation">

/**
 * @since 0.1.0
 * @category models
 */
export type Finished = Data.TaggedEnum.Value<ContractEvent, "Finished">

/**
 * @since 0.1.0
 * @category models
 */
export type Listening = Data.TaggedEnum.Value<ContractEvent, "Listening">

/**
 * @since 0.1.0
 * @category models
 */
export type Finding = Data.TaggedEnum.Value<ContractEvent, "Finding">

/**
 * @since 0.1.0
 * @category models
 */
export type LimitReached = Data.TaggedEnum.Value<ContractEvent, "LimitReached">

/**
 * What the suite emits while it runs: progress per scenario check and each
 * violation as it is found.
 *
 * @since 0.1.0
 * @category models
 */
export type SuiteEvent = CheckStarted | CheckProgress | CheckDone | Violation

/**
 * What the validating proxy emits: where it listens, each violation and
 * finding as it is found, and that its request limit was reached.
 *
 * @since 0.1.0
 * @category models
 */
export type ProxyEvent = Listening | Violation | Finding | LimitReached
