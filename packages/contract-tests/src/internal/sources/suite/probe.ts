/**
 * What a scenario is made of: the requests it sends (`Probe`, with the
 * credentials each carries) and how it judges each answer (`Scenario`,
 * `Verdict`). `request.ts` builds probes into requests, `scenarios.ts` and
 * `securityScenarios.ts` define them; all three read the shapes from here.
 *
 * @since 0.1.0
 */
import type * as Redacted from "effect/Redacted"
import type { CheckName } from "../../judge/checks.js"

/**
 * Which credentials a request carries.
 *
 * @since 0.1.0
 * @category models
 */
export type Credentials = "valid" | "missing" | "invalid"

/**
 * One request a scenario sends.
 *
 * @since 0.1.0
 * @category models
 */
export interface Probe {
  readonly id: string
  readonly credentials: Credentials
  /** Sent instead of the credentials' key (a near-miss variant): as secret as the key, shown as `***`. */
  readonly key?: Redacted.Redacted<string> | undefined
  /** The key header's name, when not the contract's spelling. */
  readonly keyHeader?: string | undefined
  /** Raw text sent in place of the encoded id segment, exactly as written. */
  readonly segment?: string | undefined
  /** A query parameter carrying the real key (shown as `***`); no key header is sent. */
  readonly keyQuery?: string | undefined
  /** What the probe is, for messages; never key characters. */
  readonly label?: string | undefined
}

/**
 * What a judge found wrong, if anything.
 *
 * @since 0.1.0
 * @category models
 */
export interface Verdict {
  readonly message: string
  readonly issues?: ReadonlyArray<string>
}

/**
 * A scenario: its check, its requests (none means not run, with a note naming what it needs) and
 * its judge.
 *
 * @since 0.1.0
 * @category models
 */
export interface Scenario {
  readonly check: CheckName
  readonly probes: ReadonlyArray<Probe>
  readonly notRunNote: string
  /** Said in the report when the check ran only in part (e.g. variants left out). */
  readonly note?: string | undefined
  readonly judge: (probe: Probe, status: number, json: unknown) => Verdict | undefined
}
