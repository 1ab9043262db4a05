/**
 * The proxy's `--har` file, written as exchanges end (entries are streamed
 * to disk, never kept), with the API key masked everywhere: request and
 * response headers, URL, body text. A judged entry also carries the proxy's
 * findings under `_postpress` (HAR allows `_`-prefixed custom fields), so a
 * reflected key, masked in the file, still counts when the HAR is replayed.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import type { Finding } from "../rules/judge.js"

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
  /** `undefined`: not kept (over the buffering limit); the entry then has no text. */
  readonly body: Buffer | undefined
  readonly bodySize: number
  readonly latencyMs: number
  readonly judged: boolean
  readonly findings: ReadonlyArray<Finding>
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

const pairs = (raw: ReadonlyArray<string>, mask: (text: string) => string) => {
  const out: Array<{ name: string; value: string }> = []
  for (let i = 0; i < raw.length; i += 2) out.push({ name: raw[i]!, value: mask(raw[i + 1]!) })
  return out
}

const content = (body: Buffer | undefined, size: number, mimeType: string, mask: (text: string) => string) => {
  if (body === undefined) return { size, mimeType, comment: "not recorded: larger than the proxy's buffering limit" }
  try {
    return { size, mimeType, text: mask(utf8.decode(body)) }
  } catch {
    return { size, mimeType, text: body.toString("base64"), encoding: "base64" }
  }
}

/**
 * @internal
 */
export interface HarWriter {
  readonly add: (exchange: HarExchange, mask: (text: string) => string) => void
  readonly close: () => Promise<void>
}

/**
 * Opens `path` and writes the HAR preamble; each entry is masked by the
 * function given with it (the keys of THAT exchange).
 *
 * @internal
 */
export const open = (path: string, creatorVersion: string): Promise<HarWriter> =>
  new Promise((resolve, reject) => {
    const stream = Fs.createWriteStream(path, { encoding: "utf8" })
    let first = true
    stream.once("error", reject)
    stream.once("open", () => {
      stream.off("error", reject)
      // Later write errors surface on close.
      let failure: Error | undefined
      stream.on("error", (error) => {
        failure = error
      })
      stream.write(
        `{"log":{"version":"1.2","creator":${JSON.stringify({ name: "postpress contract proxy", version: creatorVersion })},"entries":[\n`
      )
      resolve({
        add: (x, mask) => {
          const headerOf = (name: string) => {
            for (let i = 0; i < x.responseRawHeaders.length; i += 2) {
              if (x.responseRawHeaders[i]!.toLowerCase() === name) return x.responseRawHeaders[i + 1]!
            }
            return ""
          }
          const entry = {
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
              statusText: x.statusText,
              httpVersion: `HTTP/${x.httpVersion}`,
              cookies: [],
              headers: pairs(x.responseRawHeaders, mask),
              content: content(x.body, x.bodySize, headerOf("content-type"), mask),
              redirectURL: "",
              headersSize: -1,
              bodySize: x.bodySize
            },
            cache: {},
            timings: { send: 0, wait: x.latencyMs, receive: 0 },
            _postpress: {
              judged: x.judged,
              findings: x.findings.map((f) => ({ check: f.check, message: mask(f.message) }))
            }
          }
          stream.write(`${first ? "" : ",\n"}${JSON.stringify(entry)}`)
          first = false
        },
        close: () =>
          new Promise<void>((done, fail) => {
            stream.end("\n]}}\n", () => (failure === undefined ? done() : fail(failure)))
          })
      })
    })
  })
