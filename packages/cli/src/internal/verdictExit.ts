/**
 * The exit code of a command that ends on SIGINT/SIGTERM with a verdict.
 *
 * `NodeRuntime.runMain` answers a signal by interrupting the program; the
 * program's exit is then an interruption, which says nothing about the
 * verdict. `contract proxy` (and `mock`) stop ON the signal by design: their
 * release drains, writes the reports, and records its verdict code here;
 * `main.ts`'s teardown reads it for an interrupted exit instead of 130/143.
 * One mutable cell, written once by a release, read once by the teardown:
 * no `process.exitCode`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"

let recorded: number | undefined

/** Records the code the process should exit with if the run ends interrupted (the first record wins). */
export const record = (code: number): Effect.Effect<void> =>
  Effect.sync(() => {
    recorded ??= code
  })

/** The recorded code, if a command recorded one. */
export const recordedCode = (): number | undefined => recorded

/** For in-process tests that run several commands in one process. */
export const reset = (): void => {
  recorded = undefined
}
