/**
 * Content codings (`Content-Encoding`, RFC 9110 §8.4): THE decoder of bodies
 * before they are judged, for the validating proxy, the HAR reader and the
 * public judge (and the suite, should its transport ever negotiate
 * compression). A compressed answer is judged on its decoded bytes; an
 * encoding is not the API, so a coding that cannot be decoded, or a corrupt
 * stream, is "not judged: cannot decode <coding>", never "not JSON".
 *
 * - Codings: `gzip` (and `x-gzip`), `deflate` (zlib-wrapped as the RFC says,
 *   and raw deflate as some servers send it), `br`, `zstd` where this Node's
 *   `node:zlib` has a decoder (Node ≥ 22.15), `identity`. A list
 *   (`gzip, br`) is decoded in reverse order, as it was applied.
 * - Bounded: every step stops at `maxBytes` of output (`maxOutputLength`),
 *   so a gzip bomb costs at most the limit in memory and is "body over the
 *   limit", never a crash.
 * - Three readings of a body ({@link BodyCoding}): the bytes as sent (the
 *   proxy: every listed coding is decoded, strictly), already decoded (fetch,
 *   browsers, HAR text: never decoded again), or `detect` (HAR base64, the
 *   public judge's default): decoded only where the bytes are demonstrably
 *   still compressed (gzip `1f 8b`, zlib `78 xx` with its header checksum,
 *   zstd `28 b5 2f fd`; brotli and raw deflate have no magic, so only bytes
 *   that are not UTF-8 and that decode).
 *
 * {@link decode} runs zlib on its thread pool (the proxy's event loop never
 * inflates 16 MiB itself); {@link decodeSync} is the same rules for callers
 * that are synchronous (`ContractTraffic.judge`).
 *
 * @since 0.1.0
 */
import { isUtf8 } from "node:buffer"
import * as Zlib from "node:zlib"
import { BodyLimit, Printable } from "@postpress/schema"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/**
 * How a body relates to its answer's `Content-Encoding`:
 *
 * - `as-sent`: the bytes as they came over the wire; every listed coding is
 *   decoded, and one that cannot be is {@link CannotDecode};
 * - `decoded`: already decoded by whoever recorded it (fetch, a browser, a
 *   HAR's text), whatever the header says;
 * - `detect`: decoded only where the bytes are demonstrably still compressed.
 *
 * @since 0.1.0
 * @category models
 */
export type BodyCoding = "as-sent" | "decoded" | "detect"

/** Server-sent coding names are shown, never obeyed: escaped and cut short. */
const shown = (coding: string): string => Printable.text(coding.length > 40 ? `${coding.slice(0, 40)}…` : coding)

/**
 * A coding that cannot be decoded here (unknown, or zstd on a Node without
 * it), or a stream that is corrupt or cut short.
 *
 * @since 0.1.0
 * @category errors
 */
export class CannotDecode extends Schema.TaggedError<CannotDecode>()("CannotDecode", {
  /** The coding as listed (escaped, at most 40 characters). */
  coding: Schema.String,
  /** Why: `unexpected end of file`, `not a coding postpress decodes`. */
  detail: Schema.String
}) {
  override get message(): string {
    return `cannot decode ${this.coding} (${this.detail})`
  }
}

/**
 * The decoded body would be larger than the limit (decoding stopped there).
 *
 * @since 0.1.0
 * @category errors
 */
export class DecodedOverLimit extends Schema.TaggedError<DecodedOverLimit>()("DecodedOverLimit", {
  coding: Schema.String,
  limitBytes: Schema.Number
}) {
  override get message(): string {
    return `body over the ${BodyLimit.formatBytes(this.limitBytes)} limit once decoded (${this.coding})`
  }
}

/**
 * Why a body could not be decoded.
 *
 * @since 0.1.0
 * @category errors
 */
export type Undecodable = CannotDecode | DecodedOverLimit

/**
 * The codings a `Content-Encoding` value lists, lower-cased, in the order
 * they were applied (`identity` and empty items left out).
 *
 * @since 0.1.0
 * @category parsing
 */
export const codings = (contentEncoding: string | undefined): ReadonlyArray<string> => {
  if (contentEncoding === undefined || contentEncoding === "") return []
  const out: Array<string> = []
  for (const item of contentEncoding.split(",")) {
    const coding = item.trim().toLowerCase()
    if (coding !== "" && coding !== "identity") out.push(coding)
  }
  return out
}

/**
 * Whether a body under this `Content-Encoding` needs no decoding (none, or
 * only `identity`): the proxy's hot path skips the decoder entirely.
 *
 * @since 0.1.0
 * @category parsing
 */
export const isIdentity = (contentEncoding: string | undefined): boolean => codings(contentEncoding).length === 0

type Format = "gzip" | "deflate" | "br" | "zstd"

const formats: Readonly<Record<string, Format>> = {
  gzip: "gzip",
  "x-gzip": "gzip",
  deflate: "deflate",
  br: "br",
  zstd: "zstd"
}

type Callback = (error: Error | null, result: Buffer) => void
type AsyncInflate = (buffer: Buffer, options: { maxOutputLength: number }, callback: Callback) => void
type SyncInflate = (buffer: Buffer, options: { maxOutputLength: number }) => Buffer

// zstd arrived in node:zlib with Node 22.15 / 23.8 (not in this repo's @types/node 20).
const zstd = Zlib as unknown as { readonly zstdDecompress?: AsyncInflate; readonly zstdDecompressSync?: SyncInflate }

/**
 * Whether this Node can decode `zstd` (Node ≥ 22.15); without it a zstd body
 * is "cannot decode zstd".
 *
 * @since 0.1.0
 * @category constants
 */
export const zstdSupported: boolean = typeof zstd.zstdDecompress === "function"

/** zlib's 2-byte header (RFC 1950): deflate method, window ≤ 32 KiB, checksum of the pair. */
const zlibHeader = (b: Uint8Array): boolean =>
  b.length >= 2 && (b[0]! & 0x0f) === 8 && b[0]! >> 4 <= 7 && ((b[0]! << 8) | b[1]!) % 31 === 0

const gzipMagic = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b
const zstdMagic = (b: Uint8Array): boolean =>
  b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd

/** Bytes that carry their format's magic; brotli and raw deflate have none. */
const magic: Readonly<Record<Format, ((b: Uint8Array) => boolean) | undefined>> = {
  gzip: gzipMagic,
  deflate: zlibHeader,
  zstd: zstdMagic,
  br: undefined
}

/** The two drivers of the same rules: zlib's thread pool, or the caller's thread. */
interface Driver {
  readonly run: (
    inflate: { readonly async: AsyncInflate; readonly sync: SyncInflate },
    bytes: Buffer,
    maxBytes: number
  ) => Effect.Effect<Buffer, Error>
}

const threadPool: Driver = {
  run: (inflate, bytes, maxBytes) =>
    Effect.async<Buffer, Error>((resume) => {
      inflate.async(bytes, { maxOutputLength: maxBytes }, (error, result) =>
        resume(error === null ? Effect.succeed(result) : Effect.fail(error))
      )
    })
}

const callerThread: Driver = {
  run: (inflate, bytes, maxBytes) =>
    Effect.try({
      try: () => inflate.sync(bytes, { maxOutputLength: maxBytes }),
      catch: (error) => (error instanceof Error ? error : new Error(String(error)))
    })
}

const inflaters = (format: Format, bytes: Uint8Array) => {
  switch (format) {
    case "gzip":
      return { async: Zlib.gunzip as AsyncInflate, sync: Zlib.gunzipSync as SyncInflate }
    case "deflate":
      // RFC 9110 says zlib-wrapped; some servers send raw deflate: the header tells which.
      return zlibHeader(bytes)
        ? { async: Zlib.inflate as AsyncInflate, sync: Zlib.inflateSync as SyncInflate }
        : { async: Zlib.inflateRaw as AsyncInflate, sync: Zlib.inflateRawSync as SyncInflate }
    case "br":
      return { async: Zlib.brotliDecompress as AsyncInflate, sync: Zlib.brotliDecompressSync as SyncInflate }
    case "zstd":
      return zstd.zstdDecompress === undefined || zstd.zstdDecompressSync === undefined
        ? undefined
        : { async: zstd.zstdDecompress, sync: zstd.zstdDecompressSync }
  }
}

// zlib stops at `maxOutputLength` with this code: the only failure that is not the stream's fault.
const overLimit = (error: Error): boolean => (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE"

/** One coding removed, strictly: over the limit, or any error, is a typed failure. */
const step = (
  driver: Driver,
  coding: string,
  format: Format,
  bytes: Buffer,
  maxBytes: number
): Effect.Effect<Buffer, Undecodable> => {
  const inflate = inflaters(format, bytes)
  if (inflate === undefined) {
    return Effect.fail(
      new CannotDecode({
        coding: shown(coding),
        detail: `this Node has no ${format} decoder; Node 22.15 and later have one`
      })
    )
  }
  return driver
    .run(inflate, bytes, maxBytes)
    .pipe(
      Effect.mapError((error) =>
        overLimit(error)
          ? new DecodedOverLimit({ coding: shown(coding), limitBytes: maxBytes })
          : new CannotDecode({ coding: shown(coding), detail: error.message })
      )
    )
}

const unknownCoding = (coding: string) =>
  new CannotDecode({ coding: shown(coding), detail: "not a coding postpress decodes" })

/**
 * `detect`: whether the outermost remaining coding is still on the bytes.
 * `undefined`: not demonstrably (the recorder decoded it): stop, judge as is.
 */
const detectStep = (
  driver: Driver,
  coding: string,
  bytes: Buffer,
  maxBytes: number
): Effect.Effect<Buffer | undefined, Undecodable> => {
  const format = formats[coding]
  if (format === undefined) {
    // Nothing tells an unknown coding apart: text was decoded by the recorder, other bytes were not.
    return isUtf8(bytes) ? Effect.succeed(undefined) : Effect.fail(unknownCoding(coding))
  }
  const recognise = magic[format]
  if (recognise?.(bytes) === true) return step(driver, coding, format, bytes, maxBytes)
  // No magic (brotli, raw deflate): only bytes that are not text AND decode were still compressed.
  if (format === "gzip" || format === "zstd" || isUtf8(bytes)) return Effect.succeed(undefined)
  return step(driver, coding, format, bytes, maxBytes).pipe(
    Effect.catchTag("CannotDecode", () => Effect.succeed(undefined))
  )
}

const toBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

const run = (
  driver: Driver,
  bytes: Uint8Array,
  contentEncoding: string | undefined,
  options: { readonly coding: BodyCoding; readonly maxBytes: number }
): Effect.Effect<Uint8Array, Undecodable> => {
  const listed = codings(contentEncoding)
  // Nothing to decode: no coding, a body already decoded, or no body at all (a 304, a HEAD).
  if (listed.length === 0 || options.coding === "decoded" || bytes.length === 0) return Effect.succeed(bytes)
  return Effect.gen(function* () {
    let current = toBuffer(bytes)
    for (let i = listed.length - 1; i >= 0; i--) {
      const coding = listed[i]!
      if (options.coding === "detect") {
        const next = yield* detectStep(driver, coding, current, options.maxBytes)
        if (next === undefined) return current
        current = next
        continue
      }
      const format = formats[coding]
      if (format === undefined) return yield* unknownCoding(coding)
      current = yield* step(driver, coding, format, current, options.maxBytes)
    }
    return current
  })
}

/**
 * The body's decoded bytes (every coding removed, at most `maxBytes`), on
 * zlib's thread pool: never blocks the event loop.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (
  bytes: Uint8Array,
  contentEncoding: string | undefined,
  options: { readonly coding: BodyCoding; readonly maxBytes: number }
): Effect.Effect<Uint8Array, Undecodable> => run(threadPool, bytes, contentEncoding, options)

/**
 * {@link decode} on the caller's thread, for synchronous callers (the public
 * `ContractTraffic.judge`); the same rules and failures.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeSync = (
  bytes: Uint8Array,
  contentEncoding: string | undefined,
  options: { readonly coding: BodyCoding; readonly maxBytes: number }
): Either.Either<Uint8Array, Undecodable> =>
  Effect.runSync(Effect.either(run(callerThread, bytes, contentEncoding, options)))
