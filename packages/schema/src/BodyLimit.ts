/**
 * The one body-size limit of every tool (client, contract suite, proxy, HAR
 * reader): its default, how an over-limit body is described, how sizes are
 * written and parsed (`--max-body-size 16MiB`), and {@link read}, which
 * consumes a body stream keeping at most the limit in memory.
 *
 * A body over the limit is never judged ("not JSON" would be a lie): callers
 * report it with {@link describe}.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"

/**
 * The default limit: 16 MiB.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxBytes = 16 * 1024 * 1024

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["GiB", 1024 ** 3],
  ["MiB", 1024 ** 2],
  ["KiB", 1024]
]

/**
 * A size for people: `16 MiB`, `1.5 KiB`, `512 bytes` (binary units, at most
 * one decimal, trailing `.0` dropped).
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatBytes = (bytes: number): string => {
  for (const [unit, size] of UNITS) {
    if (bytes >= size) {
      const value = Math.round((bytes / size) * 10) / 10
      return `${Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)} ${unit}`
    }
  }
  return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`
}

/**
 * Why a body was not judged: `body over the 16 MiB limit (N bytes)`. When
 * reading stopped at the limit, the size is a lower bound:
 * `(at least N bytes)`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const describe = (
  limitBytes: number,
  sizeBytes: number,
  options: { readonly complete?: boolean } = {}
): string =>
  `body over the ${formatBytes(limitBytes)} limit (${options.complete === false ? "at least " : ""}${sizeBytes} bytes)`

const MULTIPLIERS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3
}

/**
 * Parses a size as the CLI's `--max-body-size` takes it: a number of bytes
 * (`1000000`), or a number with a unit, binary `KiB`/`MiB`/`GiB` (also
 * `K`/`M`/`G`) or decimal `KB`/`MB`/`GB`, any letter case, optional space
 * (`16MiB`, `1.5 MiB`, `512k`). The result is a whole number of bytes ≥ 1;
 * anything else is a one-line reason.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseSize = (text: string): Either.Either<number, string> => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const multiplier = match === null ? undefined : MULTIPLIERS[match[2]!.toLowerCase()]
  if (match === null || multiplier === undefined) {
    return Either.left(`expected a size such as 16MiB, 512KiB or 1000000 (bytes), got ${JSON.stringify(text)}`)
  }
  const bytes = Math.floor(Number(match[1]) * multiplier)
  return Number.isSafeInteger(bytes) && bytes >= 1
    ? Either.right(bytes)
    : Either.left(`expected a size of at least 1 byte, got ${JSON.stringify(text)}`)
}

/**
 * What {@link read} kept of a body: at most `limit` bytes (all of them when
 * `over` is false), and `total`, the bytes seen (when reading stopped at the
 * limit, a lower bound of the body's size).
 *
 * @since 0.1.0
 * @category models
 */
export interface Read {
  readonly bytes: Uint8Array
  readonly total: number
  readonly over: boolean
  /** Whether `total` is the body's whole size (false when reading stopped at the limit). */
  readonly complete: boolean
}

/**
 * How {@link read} treats a body over the limit: `"stop"` ends the stream at
 * the first byte over (the client: nothing more to wait for), `"drain"`
 * reads it to the end counting, keeping nothing more (the suite: the
 * connection stays reusable and the report gives the body's size).
 *
 * @since 0.1.0
 * @category models
 */
export type Overflow = "stop" | "drain"

interface Acc {
  readonly chunks: Array<Uint8Array>
  kept: number
  total: number
}

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1 && chunks[0]!.length === size) return chunks[0]!
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

/**
 * Consumes a body stream keeping at most `limit` bytes in memory (default
 * {@link defaultMaxBytes}), counting every byte seen. See {@link Overflow}.
 *
 * @since 0.1.0
 * @category reading
 */
export const read = <E, R>(
  body: Stream.Stream<Uint8Array, E, R>,
  options: { readonly limit?: number | undefined; readonly overflow: Overflow }
): Effect.Effect<Read, E, R> => {
  const limit = options.limit ?? defaultMaxBytes
  const stop = options.overflow === "stop"
  return Stream.runFoldWhile(
    body,
    { chunks: [], kept: 0, total: 0 } as Acc,
    (acc) => !(stop && acc.total > limit),
    (acc, chunk) => {
      acc.total += chunk.length
      const room = limit - acc.kept
      if (room > 0) {
        const kept = chunk.length <= room ? chunk : chunk.subarray(0, room)
        acc.chunks.push(kept)
        acc.kept += kept.length
      }
      return acc
    }
  ).pipe(
    Effect.map((acc): Read => {
      // Joined on first use only: a caller that drops an over-limit body never copies it.
      let bytes: Uint8Array | undefined
      return {
        get bytes() {
          bytes ??= concat(acc.chunks, acc.kept)
          return bytes
        },
        total: acc.total,
        over: acc.total > limit,
        complete: !(stop && acc.total > limit)
      }
    })
  )
}
