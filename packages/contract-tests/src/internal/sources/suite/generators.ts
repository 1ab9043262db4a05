/**
 * The generated inputs of a run (unknown ids, hostile ids, a wrong key),
 * sampled from fast-check arbitraries with the run's seed so that a seed
 * reproduces the exact same requests.
 *
 * @since 0.1.0
 */

import * as Arbitraries from "@postpress/testkit/Arbitraries"
import * as fc from "effect/FastCheck"

/**
 * Hostile account ids: the package's own arbitrary (separators, encoded
 * text, control characters, bidi overrides, very long ids). It leaves out `.`
 * and `..` on purpose: per the spec readings they cannot travel as a path
 * segment through URL normalisation, so demanding an answer for them from a
 * real server would be stricter than the spec. (Given explicitly with
 * `--account-id`, they are still sent, as `%2E`/`%2E%2E`.)
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const hostileId: fc.Arbitrary<string> = Arbitraries.hostileAccountId

/**
 * Well-formed ids no server is expected to know (the spec's `acc_` + ULID shape).
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const unknownId: fc.Arbitrary<string> = Arbitraries.accountId

/**
 * A random key in the live format that no workspace holds.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const wrongKey: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(..."0123456789abcdef"), { minLength: 32, maxLength: 32 })
  .map((chars) => `pp_live_${chars.join("")}`)

/**
 * `n` samples of an arbitrary for a seed; a salt keeps the streams of the
 * different inputs independent.
 *
 * @since 0.1.0
 * @category sampling
 */
export const sample = <A>(arbitrary: fc.Arbitrary<A>, seed: number, salt: number, n: number): ReadonlyArray<A> =>
  n <= 0 ? [] : fc.sample(arbitrary, { seed: (seed ^ (salt * 0x9e3779b1)) | 0, numRuns: n })

/** At most this many times `n` values are drawn to find `n` distinct ones. */
const MAX_DRAWS = 8

/**
 * `n` DISTINCT samples that `keep` accepts, in the order drawn (a seed
 * gives the same ones, and the first of `sample`'s stream: drawing more
 * only extends it). Fewer when the arbitrary repeats itself beyond
 * `8 × n` draws.
 *
 * @since 0.1.0
 * @category sampling
 */
export const distinctSample = <A>(
  arbitrary: fc.Arbitrary<A>,
  seed: number,
  salt: number,
  n: number,
  keep: (value: A) => boolean = () => true
): ReadonlyArray<A> => {
  let found: Array<A> = []
  for (let drawn = n; n > 0; drawn *= 2) {
    found = [...new Set(sample(arbitrary, seed, salt, drawn))].filter(keep).slice(0, n)
    if (found.length >= n || drawn >= n * MAX_DRAWS) break
  }
  return found
}
