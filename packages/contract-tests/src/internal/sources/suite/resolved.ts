/**
 * A configuration the suite can run: the decoded `Contract.Config` with
 * what the run derives from it before any request (the seed drawn when
 * none was given, the request target, the selected checks). What the
 * engine and the answer judging read.
 *
 * @since 0.1.0
 */
import type { CheckName } from "../../judge/checks.js"
import type { Config } from "./config.js"
import type * as Request from "./request.js"

/**
 * A decoded configuration, resolved.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolved extends Omit<Config, "seed"> {
  readonly seed: number
  readonly target: Request.Target
  readonly selected: ReadonlySet<CheckName>
  readonly excluded: ReadonlySet<CheckName>
}
