/**
 * The proxy's hot path on `node:http`: forward one request to the target
 * unchanged and stream the answer back unchanged, keeping (at most) the
 * first MiB of the body aside so the exchange can be judged once it ends.
 *
 * It is plain callback code on purpose: the bytes must pass through as the
 * target sent them (raw header names, order and repeats), which Effect's
 * HTTP client would normalise, and every stream event stays on the socket's
 * own tick. The lifecycle around it (listen, drain, stop, reports) is Effect.
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import * as Https from "node:https"

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, so a
 * proxy does not pass them on; everything else goes through as is.
 *
 * @internal
 */
export const hopByHop: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade"
])

/**
 * Raw headers (`[name, value, name, value, ...]`) without the hop-by-hop
 * ones nor those the `Connection` header names; `host`, when given, becomes
 * the value of `Host` (kept in its place, added if there was none).
 *
 * @internal
 */
export const endToEnd = (raw: ReadonlyArray<string>, host?: string): Array<string> => {
  const named = new Set<string>()
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === "connection") {
      for (const token of raw[i + 1]!.split(",")) named.add(token.trim().toLowerCase())
    }
  }
  const out: Array<string> = []
  let hostSeen = false
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase()
    if (hopByHop.has(lower) || named.has(lower)) continue
    if (host !== undefined && lower === "host") {
      if (!hostSeen) out.push(raw[i]!, host)
      hostSeen = true
      continue
    }
    out.push(raw[i]!, raw[i + 1]!)
  }
  if (host !== undefined && !hostSeen) out.unshift("Host", host)
  return out
}

/**
 * Where requests go.
 *
 * @internal
 */
export interface Target {
  readonly url: URL
  /** The target's path without a trailing slash; request targets are appended as sent. */
  readonly basePath: string
  readonly agent: Http.Agent
  readonly request: typeof Http.request
}

/**
 * @internal
 */
export const makeTarget = (url: URL, maxSockets: number): Target => {
  const https = url.protocol === "https:"
  // noDelay: an exchange is small and latency-bound; Nagle would hold its last segment back.
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, noDelay: true }
  return {
    url,
    basePath: url.pathname.replace(/\/+$/, ""),
    agent: https ? new Https.Agent(options) : new Http.Agent(options),
    request: https ? Https.request : Http.request
  }
}

/**
 * How one exchange ended.
 *
 * @internal
 */
export type Ended =
  | {
      readonly _tag: "Answered"
      readonly status: number
      readonly headers: Http.IncomingHttpHeaders
      readonly rawHeaders: ReadonlyArray<string>
      /** The body, or `undefined` when it was larger than the buffering limit. */
      readonly body: Buffer | undefined
      readonly bodySize: number
      /** `false` when the client or the target went away before the end. */
      readonly complete: boolean
      readonly latencyMs: number
    }
  | { readonly _tag: "Unreachable"; readonly message: string; readonly latencyMs: number }
  /** The client went away before an answer came. */
  | { readonly _tag: "Abandoned"; readonly latencyMs: number }

/**
 * @internal
 */
export interface ForwardOptions {
  readonly target: Target
  /** Bodies up to this many bytes are kept for judging; larger ones only stream. */
  readonly maxBodyBytes: number
  readonly onEnd: (req: Http.IncomingMessage, ended: Ended) => void
}

const problem = (detail: string): string =>
  JSON.stringify({
    type: "about:blank",
    title: "Bad Gateway",
    status: 502,
    detail
  })

/**
 * Forwards one request and streams its answer; calls `onEnd` exactly once.
 *
 * @internal
 */
export const forward = (req: Http.IncomingMessage, res: Http.ServerResponse, options: ForwardOptions): void => {
  const { target } = options
  const started = performance.now()
  let done = false
  const end = (ended: Ended) => {
    if (done) return
    done = true
    options.onEnd(req, ended)
  }
  // A queued exchange whose client left while it waited: nothing to forward.
  if (res.destroyed || req.destroyed) {
    end({ _tag: "Abandoned", latencyMs: 0 })
    return
  }
  // Node adds a Date header to every answer unless told not to: the proxy adds none.
  res.sendDate = false
  const headers = endToEnd(req.rawHeaders, target.url.host)
  const upstream = target.request({
    protocol: target.url.protocol,
    hostname: target.url.hostname,
    port: target.url.port,
    method: req.method,
    path: `${target.basePath}${req.url ?? "/"}`,
    headers,
    setHost: false,
    agent: target.agent
  })

  let clientGone = false
  upstream.on("error", (error: NodeJS.ErrnoException) => {
    const latencyMs = performance.now() - started
    if (clientGone) {
      end({ _tag: "Abandoned", latencyMs })
    } else if (!res.headersSent) {
      const reason = `${error.code ?? error.message}`
      const body = problem(
        `postpress contract proxy: the target ${target.url.origin}${target.basePath} could not be reached (${reason})`
      )
      if (!res.destroyed) {
        res.writeHead(502, { "content-type": "application/problem+json", "content-length": Buffer.byteLength(body) })
        res.end(body)
      }
      end({ _tag: "Unreachable", message: reason, latencyMs })
    } else {
      res.destroy()
    }
  })

  upstream.on("response", (answer) => {
    const status = answer.statusCode ?? 502
    res.writeHead(status, answer.statusMessage ?? "", endToEnd(answer.rawHeaders))
    const chunks: Array<Buffer> = []
    let size = 0
    let kept = true
    answer.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (!kept) return
      if (size > options.maxBodyBytes) {
        kept = false
        chunks.length = 0
      } else {
        chunks.push(chunk)
      }
    })
    answer.pipe(res)
    const finish = (complete: boolean) =>
      end({
        _tag: "Answered",
        status,
        headers: answer.headers,
        rawHeaders: answer.rawHeaders,
        body: kept ? Buffer.concat(chunks, size) : undefined,
        bodySize: size,
        complete,
        latencyMs: performance.now() - started
      })
    answer.on("error", () => res.destroy())
    answer.on("close", () => finish(answer.complete))
  })

  // The client went away: stop the upstream exchange too; nothing may throw.
  res.on("close", () => {
    if (!res.writableFinished) {
      clientGone = true
      upstream.destroy()
    }
  })
  req.on("error", () => upstream.destroy())
  res.on("error", () => upstream.destroy())
  req.pipe(upstream)
}
