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
import type * as Http from "node:http"
import { endToEnd, informationalHead, maxHeaderSize, problemBody, statusLineProblem, type Target } from "./wire.js"

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

const sendProblem = (res: Http.ServerResponse, status: 502 | 504, detail: string): void => {
  if (res.headersSent) {
    // Part of the answer went out already: cutting the connection is the only honest signal left.
    res.destroy()
    return
  }
  if (res.destroyed) return
  const body = problemBody(status, detail)
  res.writeHead(status, { "content-type": "application/problem+json", "content-length": Buffer.byteLength(body) })
  res.end(body)
}

/** One exchange in flight: the two sides and what has happened so far. */
interface Relay {
  readonly req: Http.IncomingMessage
  readonly res: Http.ServerResponse
  readonly options: ForwardOptions
  readonly upstream: Http.ClientRequest
  done: boolean
  timer: ReturnType<typeof setTimeout> | undefined
  clientGone: boolean
  answered: boolean
  /** Bytes the upstream socket had read when this exchange got it (keep-alive sockets are reused). */
  readAtStart: number | undefined
}

const elapsed = (relay: Relay): number => performance.now() - relay.options.arrivedAt

const end = (relay: Relay, ended: Ended): void => {
  if (relay.done) return
  relay.done = true
  if (relay.timer !== undefined) clearTimeout(relay.timer)
  relay.options.onEnd(relay.req, ended)
}

/** Bytes the target sent on this exchange: none means it could not be reached, some that it answered something a parser refused. */
const bytesFromTarget = (relay: Relay): number => {
  const socket = relay.upstream.socket
  return socket === null || socket === undefined || relay.readAtStart === undefined
    ? 0
    : socket.bytesRead - relay.readAtStart
}

const invalid = (relay: Relay, detail: string): void => {
  const message = `the upstream's answer is not valid HTTP (${detail})`
  sendProblem(relay.res, 502, `postpress contract proxy: ${message}`)
  end(relay, { _tag: "Invalid", message, latencyMs: elapsed(relay) })
  relay.upstream.destroy()
}

/** Silence past the upstream timeout: a 504 (or a cut answer), the upstream request dropped. */
const armTimeout = (relay: Relay): void => {
  const { upstreamTimeoutMs } = relay.options
  if (upstreamTimeoutMs <= 0 || !Number.isFinite(upstreamTimeoutMs)) return
  relay.timer = setTimeout(() => {
    const message = `the target ${relay.options.target.baseUrl} did not answer within ${upstreamTimeoutMs} ms (--upstream-timeout)`
    sendProblem(relay.res, 504, `postpress contract proxy: ${message}`)
    end(relay, { _tag: "TimedOut", message, latencyMs: elapsed(relay) })
    relay.upstream.destroy()
  }, upstreamTimeoutMs)
}

/** The upstream request failed: unreachable (nothing came), not valid HTTP (something came), or abandoned. */
const onUpstreamError = (relay: Relay, error: NodeJS.ErrnoException): void => {
  if (relay.done) return
  if (relay.clientGone) {
    end(relay, { _tag: "Abandoned", latencyMs: elapsed(relay) })
    return
  }
  const code = `${error.code ?? error.message}`
  if (relay.answered || code.startsWith("HPE_") || bytesFromTarget(relay) > 0) {
    invalid(relay, `${code}${error.code?.startsWith("HPE_") ? `: ${error.message}` : ""}`)
    return
  }
  const message = `the target ${relay.options.target.baseUrl} could not be reached (${code})`
  sendProblem(relay.res, 502, `postpress contract proxy: ${message}`)
  end(relay, { _tag: "Unreachable", message, latencyMs: elapsed(relay) })
}

/** Every way the upstream side can end besides a final answer: error, upgrade, 1xx, a close without an answer. */
const watchUpstream = (relay: Relay): void => {
  const { upstream, req, res } = relay
  upstream.on("socket", (socket) => {
    relay.readAtStart = socket.bytesRead
  })
  upstream.on("error", (error: NodeJS.ErrnoException) => onUpstreamError(relay, error))
  // The target switched protocols: a tunnel the proxy cannot judge; refused, both sockets freed.
  upstream.on("upgrade", (answer, socket) => {
    socket.destroy()
    const message = `the target answered ${answer.statusCode} Switching Protocols; the proxy does not relay upgrades`
    sendProblem(res, 502, `postpress contract proxy: ${message}`)
    end(relay, { _tag: "Refused", message, latencyMs: elapsed(relay) })
  })
  // 1xx answers (103 Early Hints, 102) go to the client as they came; HTTP/1.0 clients get none (RFC 9110 §15.2).
  upstream.on("information", (info) => {
    if (info.statusCode === 100 || info.statusCode === 101 || req.httpVersion !== "1.1") return
    if (res.headersSent || res.socket === null || res.socket.destroyed) return
    res.socket.write(informationalHead(info.statusCode, info.statusMessage, info.rawHeaders))
  })
  upstream.on("response", (answer) => relayAnswer(relay, answer))
  // The upstream socket closed without an answer, an error or an upgrade (never expected; never a stuck slot).
  upstream.on("close", () => {
    if (relay.done || relay.answered) return
    if (relay.clientGone) end(relay, { _tag: "Abandoned", latencyMs: elapsed(relay) })
    else invalid(relay, "the connection closed without an answer")
  })
}

/** Trailers can only follow a chunked answer to an HTTP/1.1 client; otherwise announcing them would be a lie. */
const trailersPossible = (req: Http.IncomingMessage, answer: Http.IncomingMessage): boolean =>
  req.httpVersion === "1.1" &&
  req.method !== "HEAD" &&
  answer.statusCode !== 204 &&
  answer.statusCode !== 304 &&
  answer.headers["content-length"] === undefined

/** The answer's trailers, relayed once its body went out (a trailer Node refuses to write is dropped). */
const relayTrailers = (res: Http.ServerResponse, answer: Http.IncomingMessage): void => {
  const trailers: Array<[string, string]> = []
  for (let i = 0; i < answer.rawTrailers.length; i += 2)
    trailers.push([answer.rawTrailers[i]!, answer.rawTrailers[i + 1]!])
  try {
    res.addTrailers(trailers)
  } catch {
    // A trailer Node refuses to write is dropped; the body already went out whole.
  }
}

/** The final answer: status line checked, head relayed, body streamed (and kept up to the limit), then judged. */
const relayAnswer = (relay: Relay, answer: Http.IncomingMessage): void => {
  const { req, res, options } = relay
  relay.answered = true
  const status = answer.statusCode
  const problem = statusLineProblem(status, answer.statusMessage)
  if (problem !== undefined) {
    answer.resume()
    invalid(relay, problem)
    return
  }
  const withTrailers = trailersPossible(req, answer)
  try {
    res.writeHead(
      status!,
      answer.statusMessage ?? "",
      endToEnd(answer.rawHeaders, undefined, withTrailers ? undefined : "trailer")
    )
  } catch (error) {
    answer.resume()
    invalid(relay, error instanceof Error ? error.message : String(error))
    return
  }
  const chunks: Array<Buffer> = []
  let size = 0
  let kept = true
  answer.on("data", (chunk: Buffer) => {
    // Once the answer flows, the timeout bounds silence, not the length of a long download.
    relay.timer?.refresh()
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
    if (answer.rawTrailers.length > 0 && withTrailers) relayTrailers(res, answer)
    res.end()
  })
  answer.on("error", () => res.destroy())
  answer.on("close", () =>
    end(relay, {
      _tag: "Answered",
      status: status!,
      statusText: answer.statusMessage ?? "",
      headers: answer.headers,
      rawHeaders: answer.rawHeaders,
      body: kept ? Buffer.concat(chunks, size) : undefined,
      bodySize: size,
      complete: answer.complete && !relay.clientGone,
      latencyMs: elapsed(relay)
    })
  )
}

/**
 * Forwards one request and streams its answer; calls `onEnd` exactly once.
 *
 * @internal
 */
export const forward = (req: Http.IncomingMessage, res: Http.ServerResponse, options: ForwardOptions): void => {
  const { target } = options
  // A queued exchange whose client left while it waited: nothing to forward.
  if (res.destroyed || req.destroyed) {
    options.onEnd(req, { _tag: "Abandoned", latencyMs: performance.now() - options.arrivedAt })
    return
  }
  // Node adds a Date header to every answer unless told not to: the proxy adds none.
  res.sendDate = false
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
  const relay: Relay = {
    req,
    res,
    options,
    upstream,
    done: false,
    timer: undefined,
    clientGone: false,
    answered: false,
    readAtStart: undefined
  }
  armTimeout(relay)
  watchUpstream(relay)
  // The client went away: stop the upstream exchange too; nothing may throw.
  res.on("close", () => {
    if (res.writableFinished) return
    relay.clientGone = true
    upstream.destroy()
    if (!relay.answered) end(relay, { _tag: "Abandoned", latencyMs: elapsed(relay) })
  })
  req.on("error", () => upstream.destroy())
  res.on("error", () => upstream.destroy())
  req.pipe(upstream)
}
