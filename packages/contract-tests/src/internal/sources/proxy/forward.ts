/**
 * The proxy's hot path on `node:http`: forward one request to the target
 * unchanged and stream the answer back unchanged (1xx informational answers
 * and trailers included), keeping the body aside up to the body limit so the
 * exchange can be judged once it ends.
 *
 * It is plain callback code on purpose: the bytes must pass through as the
 * target sent them (raw header names, order and repeats), which Effect's
 * HTTP client would normalise, and every stream event stays on the socket's
 * own tick. The lifecycle around it (listen, drain, stop, reports) is Effect.
 *
 * Every exchange ends, and `onEnd` is called exactly once: an answer that is
 * not valid HTTP becomes a 502 `application/problem+json`, no answer within
 * the upstream timeout a 504, an upgrade (101) a 502: the proxy does not
 * relay tunnels. Node's strict parser is kept (no `insecureHTTPParser`): a
 * Content-Length beside Transfer-Encoding or an obs-fold line is refused as
 * not valid HTTP, as RFC 9112 §6.3 and §5.2 allow a proxy to do, because
 * relaying them is how responses get split.
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import * as Https from "node:https"

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, so a
 * proxy does not pass them on; everything else goes through as is
 * (`Trailer` included: it announces end-to-end trailer fields).
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
export const endToEnd = (raw: ReadonlyArray<string>, host?: string, drop?: string): Array<string> => {
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
    if (hopByHop.has(lower) || named.has(lower) || lower === drop) continue
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
 * Largest header section accepted from either side: Node's default (16 KiB)
 * refuses well-formed answers with one 20 KB header.
 *
 * @internal
 */
export const maxHeaderSize = 256 * 1024

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
      readonly statusText: string
      readonly headers: Http.IncomingHttpHeaders
      readonly rawHeaders: ReadonlyArray<string>
      /** The body, or `undefined` when it was larger than the body limit. */
      readonly body: Buffer | undefined
      readonly bodySize: number
      /** `false` when the client or the target went away before the end. */
      readonly complete: boolean
      readonly latencyMs: number
    }
  /** No answer: the target could not be reached (the client got a 502). */
  | { readonly _tag: "Unreachable"; readonly message: string; readonly latencyMs: number }
  /** The target's answer is not valid HTTP (the client got a 502, or a cut answer). */
  | { readonly _tag: "Invalid"; readonly message: string; readonly latencyMs: number }
  /** No answer within the upstream timeout (the client got a 504, or a cut answer). */
  | { readonly _tag: "TimedOut"; readonly message: string; readonly latencyMs: number }
  /** An upgrade the proxy does not relay (the client got a 502). */
  | { readonly _tag: "Refused"; readonly message: string; readonly latencyMs: number }
  /** The client went away before an answer came. */
  | { readonly _tag: "Abandoned"; readonly latencyMs: number }

/**
 * @internal
 */
export interface ForwardOptions {
  readonly target: Target
  /** Bodies up to this many bytes are kept for judging; larger ones only stream. */
  readonly maxBodyBytes: number
  /** Milliseconds the target may stay silent: before its status line, or between body chunks (0: no bound). */
  readonly upstreamTimeoutMs: number
  /** When the request arrived (`performance.now()`): latency includes the time it waited in the queue. */
  readonly arrivedAt: number
  readonly onEnd: (req: Http.IncomingMessage, ended: Ended) => void
}

const titles: Record<number, string> = { 502: "Bad Gateway", 504: "Gateway Timeout" }

const sendProblem = (res: Http.ServerResponse, status: 502 | 504, detail: string): void => {
  if (res.headersSent) {
    // Part of the answer went out already: cutting the connection is the only honest signal left.
    res.destroy()
    return
  }
  if (res.destroyed) return
  const body = JSON.stringify({ type: "about:blank", title: titles[status], status, detail })
  res.writeHead(status, { "content-type": "application/problem+json", "content-length": Buffer.byteLength(body) })
  res.end(body)
}

// RFC 9112 §4: reason-phrase = *( HTAB / SP / VCHAR / obs-text ).
const invalidReason = /[^\t\x20-\x7e\x80-\xff]/

/**
 * Why a final answer's status line cannot be relayed, if it cannot.
 *
 * @internal
 */
export const statusLineProblem = (status: number | undefined, reason: string | undefined): string | undefined => {
  if (status === undefined || !Number.isInteger(status) || status < 200 || status > 599) {
    return `status ${String(status ?? "missing").padStart(3, "0")} is not a final status (200-599)`
  }
  if (reason !== undefined && invalidReason.test(reason)) {
    return `the reason phrase holds a control character (${JSON.stringify(reason)})`
  }
  return undefined
}

/**
 * The raw 1xx status line and header block, for relaying informational answers.
 *
 * @internal
 */
export const informationalHead = (status: number, reason: string, raw: ReadonlyArray<string>): string => {
  let head = `HTTP/1.1 ${status} ${reason}\r\n`
  for (let i = 0; i < raw.length; i += 2) head += `${raw[i]}: ${raw[i + 1]}\r\n`
  return `${head}\r\n`
}

/**
 * Forwards one request and streams its answer; calls `onEnd` exactly once.
 *
 * @internal
 */
export const forward = (req: Http.IncomingMessage, res: Http.ServerResponse, options: ForwardOptions): void => {
  const { target } = options
  const elapsed = () => performance.now() - options.arrivedAt
  let done = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const end = (ended: Ended) => {
    if (done) return
    done = true
    if (timer !== undefined) clearTimeout(timer)
    options.onEnd(req, ended)
  }
  // A queued exchange whose client left while it waited: nothing to forward.
  if (res.destroyed || req.destroyed) {
    end({ _tag: "Abandoned", latencyMs: elapsed() })
    return
  }
  // Node adds a Date header to every answer unless told not to: the proxy adds none.
  res.sendDate = false
  const where = `${target.url.origin}${target.basePath}`
  const upstream = target.request({
    protocol: target.url.protocol,
    hostname: target.url.hostname,
    port: target.url.port,
    method: req.method,
    path: `${target.basePath}${req.url ?? "/"}`,
    headers: endToEnd(req.rawHeaders, target.url.host),
    setHost: false,
    agent: target.agent,
    maxHeaderSize
  })
  // Every header the target sends is read (Node stops at 2,000 by default, silently).
  upstream.maxHeadersCount = 0

  // Bytes the target sent on this exchange: none means it could not be reached,
  // some means it answered something a parser refused.
  let readAtStart: number | undefined
  upstream.on("socket", (socket) => {
    readAtStart = socket.bytesRead
  })
  const bytesFromTarget = () =>
    upstream.socket === null || upstream.socket === undefined || readAtStart === undefined
      ? 0
      : upstream.socket.bytesRead - readAtStart

  const invalid = (detail: string) => {
    const message = `the upstream's answer is not valid HTTP (${detail})`
    sendProblem(res, 502, `postpress contract proxy: ${message}`)
    end({ _tag: "Invalid", message, latencyMs: elapsed() })
    upstream.destroy()
  }

  if (options.upstreamTimeoutMs > 0) {
    timer = setTimeout(() => {
      const message = `the target ${where} did not answer within ${options.upstreamTimeoutMs} ms (--upstream-timeout)`
      sendProblem(res, 504, `postpress contract proxy: ${message}`)
      end({ _tag: "TimedOut", message, latencyMs: elapsed() })
      upstream.destroy()
    }, options.upstreamTimeoutMs)
  }

  let clientGone = false
  let answered = false
  upstream.on("error", (error: NodeJS.ErrnoException) => {
    if (done) return
    if (clientGone) {
      end({ _tag: "Abandoned", latencyMs: elapsed() })
      return
    }
    const code = `${error.code ?? error.message}`
    if (answered || code.startsWith("HPE_") || bytesFromTarget() > 0) {
      invalid(`${code}${error.code?.startsWith("HPE_") ? `: ${error.message}` : ""}`)
      return
    }
    const message = `the target ${where} could not be reached (${code})`
    sendProblem(res, 502, `postpress contract proxy: ${message}`)
    end({ _tag: "Unreachable", message, latencyMs: elapsed() })
  })

  // The target switched protocols: a tunnel the proxy cannot judge; refused, both sockets freed.
  upstream.on("upgrade", (answer, socket) => {
    socket.destroy()
    const message = `the target answered ${answer.statusCode} Switching Protocols; the proxy does not relay upgrades`
    sendProblem(res, 502, `postpress contract proxy: ${message}`)
    end({ _tag: "Refused", message, latencyMs: elapsed() })
  })

  // 1xx answers (103 Early Hints, 102) go to the client as they came; HTTP/1.0 clients get none (RFC 9110 §15.2).
  upstream.on("information", (info) => {
    if (info.statusCode === 100 || info.statusCode === 101 || req.httpVersion !== "1.1") return
    if (res.headersSent || res.socket === null || res.socket.destroyed) return
    res.socket.write(informationalHead(info.statusCode, info.statusMessage, info.rawHeaders))
  })

  upstream.on("response", (answer) => {
    answered = true
    const status = answer.statusCode
    const problem = statusLineProblem(status, answer.statusMessage)
    if (problem !== undefined) {
      answer.resume()
      invalid(problem)
      return
    }
    // Trailers can only follow a chunked answer to an HTTP/1.1 client; otherwise announcing them would be a lie.
    const trailersPossible =
      req.httpVersion === "1.1" &&
      req.method !== "HEAD" &&
      status !== 204 &&
      status !== 304 &&
      answer.headers["content-length"] === undefined
    try {
      res.writeHead(
        status!,
        answer.statusMessage ?? "",
        endToEnd(answer.rawHeaders, undefined, trailersPossible ? undefined : "trailer")
      )
    } catch (error) {
      answer.resume()
      invalid(error instanceof Error ? error.message : String(error))
      return
    }
    const chunks: Array<Buffer> = []
    let size = 0
    let kept = true
    answer.on("data", (chunk: Buffer) => {
      // Once the answer flows, the timeout bounds silence, not the length of a long download.
      timer?.refresh()
      size += chunk.length
      if (!kept) return
      if (size > options.maxBodyBytes) {
        kept = false
        chunks.length = 0
      } else {
        chunks.push(chunk)
      }
    })
    answer.pipe(res, { end: false })
    answer.on("end", () => {
      if (answer.rawTrailers.length > 0 && trailersPossible) {
        const trailers: Array<[string, string]> = []
        for (let i = 0; i < answer.rawTrailers.length; i += 2)
          trailers.push([answer.rawTrailers[i]!, answer.rawTrailers[i + 1]!])
        try {
          res.addTrailers(trailers)
        } catch {
          // A trailer Node refuses to write is dropped; the body already went out whole.
        }
      }
      res.end()
    })
    const finish = (complete: boolean) =>
      end({
        _tag: "Answered",
        status: status!,
        statusText: answer.statusMessage ?? "",
        headers: answer.headers,
        rawHeaders: answer.rawHeaders,
        body: kept ? Buffer.concat(chunks, size) : undefined,
        bodySize: size,
        complete,
        latencyMs: elapsed()
      })
    answer.on("error", () => res.destroy())
    answer.on("close", () => finish(answer.complete && !clientGone))
  })

  // The upstream socket closed without an answer, an error or an upgrade (never expected; never a stuck slot).
  upstream.on("close", () => {
    if (done || answered) return
    if (clientGone) end({ _tag: "Abandoned", latencyMs: elapsed() })
    else invalid("the connection closed without an answer")
  })

  // The client went away: stop the upstream exchange too; nothing may throw.
  res.on("close", () => {
    if (!res.writableFinished) {
      clientGone = true
      upstream.destroy()
      if (!answered) end({ _tag: "Abandoned", latencyMs: elapsed() })
    }
  })
  req.on("error", () => upstream.destroy())
  res.on("error", () => upstream.destroy())
  req.pipe(upstream)
}
