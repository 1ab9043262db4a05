/**
 * The generated inputs of a run (unknown ids, hostile ids, a wrong key),
 * sampled from fast-check arbitraries with the run's seed so that a seed
 * reproduces the exact same requests.
 *
 * @since 0.1.0
 */
import * as fc from "effect/FastCheck"

/**
 * Pieces that break naive routing, encoding or rendering: separators, dot
 * segments, already-encoded text, query and fragment markers, whitespace and
 * control characters, bidi overrides and zero-width characters, non-ASCII.
 */
const fragments = fc.constantFrom(
  "/",
  "..",
  ".",
  "%2F",
  "%2e%2e",
  "%ZZ",
  "%",
  "?",
  "?id=1",
  "#",
  "#top",
  " ",
  "\t",
  "\n",
  "\u0000",
  "\u202E",
  "\u200B",
  "\\",
  "&",
  "+",
  ";",
  "'",
  '"',
  "<b>",
  "é",
  "日本",
  "😀",
  "acc_"
)

const word = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/)

const exact = fc.constantFrom(".", "..", "...", "/", "//", "%2F", "%00", " ", "acc_1/../acc_2", "\u202Eacc")

const composed = fc.array(fc.oneof(fragments, word), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(""))

// Long enough to stress length handling, short enough that the encoded
// request line stays within common server limits (a 414 would be noise).
const long = fc
  .tuple(fc.integer({ min: 200, max: 500 }), fragments)
  .map(([length, fragment]) => `${"a".repeat(length)}${fragment}`)

/**
 * Hostile account ids (never empty).
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const hostileId: fc.Arbitrary<string> = fc
  .oneof({ arbitrary: exact, weight: 2 }, { arbitrary: composed, weight: 6 }, { arbitrary: long, weight: 1 })
  .filter((id) => id.length > 0)

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/**
 * Well-formed ids that no server is expected to know (`acc_` + 26 Crockford
 * base-32 characters, the shape of the spec's example id).
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const unknownId: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...crockford), { minLength: 26, maxLength: 26 })
  .map((chars) => `acc_${chars.join("")}`)

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
