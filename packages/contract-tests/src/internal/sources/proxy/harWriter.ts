/**
 * The proxy's `--har` file, written as exchanges end (entries are streamed
 * to disk through the platform `FileSystem`, never kept), with every secret
 * the session has seen masked everywhere: request and response headers, URL,
 * body text. A judged entry also carries the proxy's findings under
 * `_postpress` (HAR allows `_`-prefixed custom fields), so a reflected key,
 * masked in the file, still counts when the HAR is replayed.
 *
 * Bodies are recorded as HAR 1.2 says and as devtools and Playwright write
 * them: DECODED (`Content-Encoding` stays in the headers; `content.size` is
 * the decoded size, `response.bodySize` the bytes on the wire), as text, or
 * base64 when the decoded bytes are not UTF-8. A body whose coding could not
 * be decoded is recorded as sent (base64) with `_postpress.notDecoded`, so a
 * replay does not judge it either.
 *
 * Back-pressure: entries wait in a small bounded queue; when the disk falls
 * behind, {@link HarWriter.add} gives an Effect that completes only once
 * its entry has a place, and the session holds the exchange's slot until
 * then, so memory stays bounded by the queue, not by the traffic.
 *
 * @since 0.1.0
 */
import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { Finding } from "../../judge/judge.js"

/**
 * One exchange as the HAR needs it.
 *
 * @internal
 */
export interface HarExchange {
  readonly startedAt: Date
  readonly method: string
  readonly url: string
  readonly httpVersion: string
  readonly requestRawHeaders: ReadonlyArray<string>
  readonly status: number
  readonly statusText: string
  readonly responseRawHeaders: ReadonlyArray<string>
  /**
   * The body as recorded: decoded when its `Content-Encoding` was decoded, as
   * sent otherwise; `undefined`: not kept (over the body limit), the entry then has no text.
   */
  readonly body: Uint8Array | undefined
  /** Bytes on the wire. */
  readonly bodySize: number
  /** Why the body is recorded as sent: its coding could not be decoded (`cannot decode zstd (...)`). */
  readonly notDecoded?: string | undefined
  readonly latencyMs: number
  readonly judged: boolean
  readonly findings: ReadonlyArray<Finding>
  /** Why the body was not kept, when it was not. */
  readonly notKept?: string | undefined
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

const pairs = (raw: ReadonlyArray<string>, mask: (text: string) => string) => {
  const out: Array<{ name: string; value: string }> = []
  for (let i = 0; i < raw.length; i += 2) out.push({ name: raw[i]!, value: mask(raw[i + 1]!) })
  return out
}

/** Bytes that are not text, masked all the same: a key is ASCII, so its bytes are its latin1 characters. */
const maskedBase64 = (bytes: Uint8Array, mask: (text: string) => string): string => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const latin1 = buffer.toString("latin1")
  const masked = mask(latin1)
  return (masked === latin1 ? buffer : Buffer.from(masked, "latin1")).toString("base64")
}

const content = (x: HarExchange, mimeType: string, mask: (text: string) => string) => {
  if (x.body === undefined) return { size: x.bodySize, mimeType, comment: `not recorded: ${x.notKept ?? "not kept"}` }
  if (x.notDecoded !== undefined) {
    const comment = `as sent, not decoded: ${x.notDecoded}`
    return { size: x.bodySize, mimeType, text: maskedBase64(x.body, mask), encoding: "base64", comment }
  }
  try {
    return { size: x.body.byteLength, mimeType, text: mask(utf8.decode(x.body)) }
  } catch {
    return { size: x.body.byteLength, mimeType, text: maskedBase64(x.body, mask), encoding: "base64" }
  }
}

/**
 * One entry as HAR 1.2 JSON, masked.
 *
 * @internal
 */
export const entryJson = (x: HarExchange, mask: (text: string) => string): string => {
  let contentType = ""
  for (let i = 0; i < x.responseRawHeaders.length; i += 2) {
    if (x.responseRawHeaders[i]!.toLowerCase() === "content-type") {
      contentType = x.responseRawHeaders[i + 1]!
      break
    }
  }
  return JSON.stringify({
    startedDateTime: x.startedAt.toISOString(),
    time: x.latencyMs,
    request: {
      method: x.method,
      url: mask(x.url),
      httpVersion: `HTTP/${x.httpVersion}`,
      cookies: [],
      headers: pairs(x.requestRawHeaders, mask),
      queryString: [],
      headersSize: -1,
      bodySize: -1
    },
    response: {
      status: x.status,
      statusText: mask(x.statusText),
      httpVersion: `HTTP/${x.httpVersion}`,
      cookies: [],
      headers: pairs(x.responseRawHeaders, mask),
      content: content(x, mask(contentType), mask),
      redirectURL: "",
      headersSize: -1,
      bodySize: x.bodySize
    },
    cache: {},
    timings: { send: 0, wait: x.latencyMs, receive: 0 },
    _postpress: {
      judged: x.judged,
      findings: x.findings.map((f) => ({ check: f.check, message: mask(f.message) })),
      ...(x.notDecoded === undefined ? {} : { notDecoded: x.notDecoded })
    }
  })
}

/**
 * @internal
 */
export interface HarWriter {
  /**
   * Masks and queues one entry: `undefined` when it had a place at once (the
   * common case, no fiber needed), else an Effect that completes once it has
   * one (the disk fell behind: the caller holds its exchange until then).
   */
  readonly add: (exchange: HarExchange, mask: (text: string) => string) => Effect.Effect<void> | undefined
  /** Writes what is queued and the closing brackets. */
  readonly close: Effect.Effect<void, PlatformError>
}

/** Entries waiting for the disk at most (a 16 MiB body each, at worst). */
const QUEUE_CAPACITY = 4

const encoder = new TextEncoder()

/**
 * Opens `path` (truncating it) and writes the HAR preamble; a fiber writes
 * queued entries in order until {@link HarWriter.close}.
 *
 * @internal
 */
export const open = (
  path: string,
  creatorVersion: string
): Effect.Effect<HarWriter, PlatformError, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const file = yield* fs.open(path, { flag: "w" })
    const queue = yield* Queue.bounded<string | null>(QUEUE_CAPACITY)
    const write = (text: string) => file.writeAll(encoder.encode(text))
    yield* write(
      `{"log":{"version":"1.2","creator":${JSON.stringify({ name: "postpress contract proxy", version: creatorVersion })},"entries":[\n`
    )
    // One entry at a time (a chunk never reaches past the closing `null`), numbered for the separators.
    const entries = Stream.fromQueue(queue, { maxChunkSize: 1 }).pipe(
      Stream.takeWhile((entry): entry is string => entry !== null),
      Stream.zipWithIndex
    )
    const writer = yield* entries.pipe(
      Stream.runForEach(([entry, index]) => write(`${index === 0 ? "" : ",\n"}${entry}`)),
      // A disk that failed: the rest is taken and dropped, so adders never wait on it; close reports the failure.
      Effect.catchAll((error) => Effect.zipRight(Stream.runDrain(entries), Effect.fail(error))),
      Effect.zipRight(write("\n]}}\n")),
      Effect.zipRight(file.sync),
      Effect.forkScoped
    )
    let closed = false
    return {
      add: (exchange, mask) => {
        if (closed) return undefined
        const json = entryJson(exchange, mask)
        return Queue.unsafeOffer(queue, json) ? undefined : Effect.asVoid(Queue.offer(queue, json))
      },
      close: Effect.suspend(() => {
        if (closed) return Effect.void
        closed = true
        return Queue.offer(queue, null).pipe(Effect.zipRight(Fiber.join(writer)))
      })
    } satisfies HarWriter
  })
