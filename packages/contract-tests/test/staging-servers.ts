/**
 * Loopback servers for the staging-grade tests: a correct server (every id
 * it is told about exists; others are 404; no key is 401) that can also
 * throttle (429 with `Retry-After`), answer slowly, or send fields the spec
 * does not know, and that records when each request arrived.
 */
import * as Http from "node:http"
import { SpecExample } from "@postpress/schema"
import { listenLoopback } from "./support/loopback.js"

/** The key the servers accept (a canary: it must never appear in a report). */
export const KEY = "pp_live_STAGING_0a1b2c3d4e5f"

export interface Arrival {
  /** Milliseconds (fractional) on the server's monotonic clock. */
  readonly at: number
  readonly path: string
}

export interface StagingServer {
  readonly url: string
  readonly arrivals: ReadonlyArray<Arrival>
  readonly stop: () => Promise<void>
}

export interface StagingOptions {
  readonly ids: ReadonlyArray<string>
  /** Per request to a path (the n-th to that path, 1-based): a 429 with this `Retry-After`, or none. */
  readonly throttle?: (path: string, n: number) => string | undefined
  /** Milliseconds to wait before answering a path. */
  readonly delayMs?: (path: string) => number
  /** Adds fields the spec does not know to every 200 body. */
  readonly extraFields?: boolean
  /**
   * Per request to a path (the n-th to that path, 1-based): an answer that
   * replaces the normal one (staging down, a load balancer's page), or none.
   */
  readonly override?: (path: string, n: number) => Override | undefined
  /** Signatures in every account body (a long list makes a valid body of a few MiB). */
  readonly signatures?: number
  /** A 200 body of this many bytes (streamed in 64 KiB chunks, not JSON) for the known ids. */
  readonly hugeBodyBytes?: number
}

/** An answer that replaces the server's normal one. */
export interface Override {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body: string
}

/** A 503 the API's own way: its envelope, retryable. */
export const unavailable: Override = {
  status: 503,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    title: "Service Unavailable",
    type: "errors/service_unavailable",
    status: 503,
    detail: "Service temporarily unavailable. Retry later.",
    instance: "req_staging"
  })
}

/** Signatures that make an account body about `bytes` long (each about 1 KiB). */
const signaturesOf = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ title: `Signature ${i}`, content: `${"Kind regards, ".repeat(70)}${i}` }))

const json = (res: Http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify(body))
}

const envelope = (status: number, title: string, type: string) => ({
  title,
  type,
  status,
  detail: type,
  instance: "req_staging"
})

const withExtraFields = (account: typeof SpecExample.retrieveAccountResponse) => ({
  ...account,
  brand_new_top_level: "v2",
  connection_params: {
    im: {
      ...account.connection_params.im,
      new_flag: true,
      organizations: account.connection_params.im.organizations.map((o) => ({ ...o, org_extra: 1 }))
    }
  }
})

export const startStagingServer = async (options: StagingOptions): Promise<StagingServer> => {
  const arrivals: Array<Arrival> = []
  const seen = new Map<string, number>()
  // The suite's longest hostile ids make ~25 KB URLs: over Node's default 16 KiB, the server itself would answer
  // a bodyless 431 for some seeds, a violation of a server meant to be conformant.
  const server = Http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    const path = req.url ?? ""
    arrivals.push({ at: performance.now(), path })
    const n = (seen.get(path) ?? 0) + 1
    seen.set(path, n)
    const answer = () => {
      const replaced = options.override?.(path, n)
      if (replaced !== undefined) {
        res.writeHead(replaced.status, { "content-type": "text/plain", ...replaced.headers })
        res.end(replaced.body)
        return
      }
      const retryAfter = options.throttle?.(path, n)
      if (retryAfter !== undefined) {
        // A gateway's 429: not the API's envelope, and no contract violation.
        res.writeHead(429, { "content-type": "text/plain", "retry-after": retryAfter })
        res.end("slow down")
        return
      }
      const key = req.headers["x-api-key"]
      if (key === undefined) return json(res, 401, envelope(401, "Unauthorized", "errors/missing_credentials"))
      if (key !== KEY) return json(res, 401, envelope(401, "Unauthorized", "errors/invalid_credentials"))
      let id: string
      try {
        id = decodeURIComponent(path.split("/").pop() ?? "")
      } catch {
        return json(res, 400, envelope(400, "Bad Request", "errors/unescaped_characters"))
      }
      if (!options.ids.includes(id)) return json(res, 404, envelope(404, "Not Found", "errors/resource_not_found"))
      if (options.hugeBodyBytes !== undefined) return streamHuge(res, options.hugeBodyBytes)
      const account = {
        ...SpecExample.retrieveAccountResponse,
        id,
        ...(options.signatures === undefined ? {} : { signatures: signaturesOf(options.signatures) })
      }
      return json(res, 200, options.extraFields === true ? withExtraFields(account) : account)
    }
    const delay = options.delayMs?.(path) ?? 0
    if (delay > 0) setTimeout(answer, delay)
    else answer()
  })
  const { origin, stop } = await listenLoopback(server)
  return { url: `${origin}/api`, arrivals, stop }
}

/** Streams `bytes` of `[` in 64 KiB chunks (never held whole), honouring backpressure. */
const streamHuge = (res: Http.ServerResponse, bytes: number) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": String(bytes) })
  const chunk = Buffer.alloc(64 * 1024, "[")
  let left = bytes
  const pump = () => {
    while (left > 0) {
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left)
      left -= part.length
      if (!res.write(part)) return void res.once("drain", pump)
    }
    res.end()
  }
  pump()
}

/** The most arrivals in any window of `windowMs` (sliding: every window that starts at an arrival). */
export const maxInWindow = (times: ReadonlyArray<number>, windowMs: number): number => {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  let end = 0
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++
    best = Math.max(best, end - start)
  }
  return best
}
