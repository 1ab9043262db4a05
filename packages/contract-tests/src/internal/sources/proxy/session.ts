/**
 * One proxy session: the listening server, the bound on exchanges in flight,
 * and what happens when an exchange ends (judge, print, tally, HAR).
 *
 * Every exchange releases its slot exactly once, whatever happens: answered,
 * unreachable, not valid HTTP, timed out, upgraded, or abandoned. Latency is
 * measured from the request's arrival, so time spent queued behind
 * `maxConcurrent` counts (what the client waited, not what the target took).
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import type * as Net from "node:net"
import type { AddressInfo } from "node:net"
import { Printable } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ContentCoding from "../../judge/contentCoding.js"
import { type Judgement, judgeDecoded, type Location, locate, notDecodedJudgement } from "../../judge/judge.js"
import type { Secrets } from "../../judge/secrets.js"
import type { Invocation } from "../../report/model.js"
import { makeTrafficTally } from "../../report/tally.js"
import type { TrafficReport } from "../../report/trafficModel.js"
import { type Ended, forward, makeTarget, maxHeaderSize, type Target } from "./forward.js"
import type { HarWriter } from "./harWriter.js"

/**
 * @internal
 */
export interface SessionOptions {
  readonly target: URL
  readonly host: string
  readonly port: number
  readonly strict: boolean
  readonly secrets: Secrets
  readonly failOnDrift: boolean
  readonly maxRequests: number | undefined
  readonly maxConcurrent: number
  readonly maxBodyBytes: number
  readonly upstreamTimeoutMs: number
  readonly har: HarWriter | undefined
  readonly invocation: Invocation | undefined
  /** One line per violation or finding, every secret masked. */
  readonly onViolation: (line: string) => void
  readonly onLimit: () => void
}

/**
 * @internal
 */
export interface Session {
  readonly url: string
  readonly inFlight: () => number
  /** Stops accepting connections; in-flight and queued exchanges go on. */
  readonly stopAccepting: () => void
  /** Resolves when nothing is in flight or queued. */
  readonly idle: () => Promise<void>
  /** Cuts whatever is still open. */
  readonly destroy: () => Promise<void>
  readonly report: () => TrafficReport
}

const utf8 = new TextDecoder()

type Answered = Extract<Ended, { readonly _tag: "Answered" }>
type Decoded = Either.Either<Uint8Array, ContentCoding.Undecodable>

/** One answered exchange as the session concludes it. */
interface Exchange {
  readonly startedAt: Date
  readonly secrets: ReadonlyArray<string>
  /** Masks every key seen and this exchange's own. */
  readonly own: (text: string) => string
  readonly path: string
  readonly method: string
  readonly where: Location
}

/**
 * What the HAR records of a body: decoded; as sent when its coding could not
 * be decoded (with why); nothing when it is over the limit once decoded.
 */
const recordedBody = (
  ended: Answered,
  decoded: Decoded | undefined
): { readonly body: Uint8Array | undefined; readonly notDecoded?: string; readonly notKept?: string } => {
  if (decoded === undefined) return { body: ended.body }
  if (Either.isRight(decoded)) return { body: decoded.right }
  return decoded.left._tag === "DecodedOverLimit"
    ? { body: undefined, notKept: decoded.left.message }
    : { body: ended.body, notDecoded: decoded.left.message }
}

const refusal = (detail: string): string => {
  const body = JSON.stringify({ type: "about:blank", title: "Method Not Allowed", status: 405, detail })
  return `HTTP/1.1 405 Method Not Allowed\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
}

/**
 * Starts listening.
 *
 * @internal
 */
export const start = async (options: SessionOptions): Promise<Session> => {
  const began = performance.now()
  const target: Target = makeTarget(options.target, options.maxConcurrent)
  const baseUrl = `${options.target.origin}${target.basePath}`
  const { secrets } = options
  const mask = secrets.mask
  const tally = makeTrafficTally({
    baseUrl,
    strict: options.strict,
    failOnDrift: options.failOnDrift,
    startedAt: new Date().toISOString(),
    source: "proxy",
    secrets,
    maxBodyBytes: options.maxBodyBytes,
    invocation: options.invocation
  })
  const judgeOptions = { baseUrl, strict: options.strict, maxBodyBytes: options.maxBodyBytes }
  const queue: Array<[Http.IncomingMessage, Http.ServerResponse, Date, number]> = []
  let active = 0
  let counted = 0
  let limitSignalled = false
  let idleWaiters: Array<() => void> = []

  const settle = () => {
    active--
    const next = queue.shift()
    if (next !== undefined) begin(...next)
    else if (active === 0) {
      const waiters = idleWaiters
      idleWaiters = []
      for (const wake of waiters) wake()
    }
  }

  const countTowardLimit = () => {
    counted++
    if (options.maxRequests !== undefined && counted >= options.maxRequests && !limitSignalled) {
      limitSignalled = true
      options.onLimit()
    }
  }

  // Every line leaves masked, then escaped: bytes from the target never drive the terminal that shows them.
  const emit = (line: string) => options.onViolation(Printable.text(line))
  const finding = (method: string, path: string, text: string, own: (text: string) => string = mask) =>
    emit(`finding: ${method} ${own(path)}: ${own(text)}`)

  /**
   * An answered exchange, its body decoded (or why not): judged when it is
   * the operation, recorded in the HAR. Returns the HAR's back-pressure.
   */
  const conclude = (
    req: Http.IncomingMessage,
    ended: Answered,
    exchange: Exchange,
    decoded: Decoded | undefined
  ): Promise<void> | undefined => {
    const { path, method, where } = exchange
    const url = `${options.target.origin}${target.basePath}${path}`
    let judgement: Judgement | undefined
    let notKept: string | undefined
    if (where._tag !== "Account") {
      tally.notJudged("not_operation", ended.status, ended.latencyMs)
    } else if (!ended.complete) {
      tally.notJudged("incomplete", ended.status, ended.latencyMs, { answer: true })
    } else if (ended.body === undefined || decoded === undefined) {
      tally.notJudged("over_limit", ended.status, ended.latencyMs, { bytes: ended.bodySize, answer: true })
      notKept = `body over the limit (${ended.bodySize} bytes)`
    } else {
      // Decoded once: the judge, the report and the HAR read the same text.
      const text = Either.isRight(decoded) ? utf8.decode(decoded.right) : ""
      judgement = Either.isLeft(decoded)
        ? notDecodedJudgement(where.id, decoded.left)
        : judgeDecoded(
            where.id,
            {
              request: { method, url, headers: req.headers },
              response: { status: ended.status, headers: ended.headers, body: text }
            },
            { ...judgeOptions, secrets: exchange.secrets }
          )
      tally.record(
        { url, status: ended.status, body: text, latencyMs: ended.latencyMs, secrets: exchange.secrets },
        judgement
      )
      for (const f of judgement.findings) {
        emit(`violation ${f.check}: ${method} ${exchange.own(path)} → ${ended.status}: ${exchange.own(f.message)}`)
      }
      countTowardLimit()
    }
    if (options.har === undefined) return undefined
    return options.har.add(
      {
        startedAt: exchange.startedAt,
        method,
        url,
        httpVersion: req.httpVersion,
        requestRawHeaders: req.rawHeaders,
        status: ended.status,
        statusText: ended.statusText,
        responseRawHeaders: ended.rawHeaders,
        bodySize: ended.bodySize,
        latencyMs: ended.latencyMs,
        judged: judgement?.judged === true,
        findings: judgement?.findings ?? [],
        notKept,
        ...recordedBody(ended, decoded)
      },
      exchange.own
    )
  }

  /**
   * Decodes a copy of the body when it will be read (judged, or recorded in
   * the HAR) and carries a coding: on zlib's thread pool, bounded by the
   * body limit. The bytes the client got were the target's, unchanged.
   */
  const decodeFor = (ended: Answered, exchange: Exchange): Decoded | Promise<Decoded> | undefined => {
    if (ended.body === undefined || !ended.complete) return undefined
    const contentEncoding = ended.headers["content-encoding"]
    if (ContentCoding.isIdentity(contentEncoding)) return Either.right(ended.body)
    if (options.har === undefined && exchange.where._tag !== "Account") return Either.right(ended.body)
    return Effect.runPromise(
      Effect.either(
        ContentCoding.decode(ended.body, contentEncoding, { coding: "as-sent", maxBytes: options.maxBodyBytes })
      )
    )
  }

  const onEnd =
    (startedAt: Date, requestSecrets: ReadonlyArray<string>) =>
    (req: Http.IncomingMessage, ended: Ended): void => {
      let pending: Promise<void> | undefined
      // Every key seen, and this exchange's own even when the bounded set is full.
      const own = secrets.maskWith(requestSecrets)
      // A bug in judging one exchange must not take the session down: it becomes a finding.
      const internalError = (error: unknown) =>
        finding(req.method ?? "GET", req.url ?? "/", `internal error while judging: ${String(error)}`)
      try {
        const path = req.url ?? "/"
        const method = req.method ?? "GET"
        switch (ended._tag) {
          case "Abandoned":
            tally.notJudged("incomplete", null, ended.latencyMs)
            return
          case "Unreachable":
            tally.notJudged("unreachable", 502, ended.latencyMs)
            countTowardLimit()
            return
          case "Invalid":
            tally.notJudged("invalid_upstream", 502, ended.latencyMs)
            finding(method, path, ended.message, own)
            countTowardLimit()
            return
          case "TimedOut":
            tally.notJudged("timeout", 504, ended.latencyMs)
            finding(method, path, ended.message, own)
            countTowardLimit()
            return
          case "Refused":
            tally.notJudged("refused", 502, ended.latencyMs)
            finding(method, path, ended.message, own)
            countTowardLimit()
            return
        }
        const where = locate(method, `${target.basePath}${path}`, baseUrl)
        const exchange: Exchange = { startedAt, secrets: requestSecrets, own, path, method, where }
        const decoded = decodeFor(ended, exchange)
        if (decoded instanceof Promise) {
          pending = decoded.then((result) => conclude(req, ended, exchange, result)).then(undefined, internalError)
        } else {
          pending = conclude(req, ended, exchange, decoded)
        }
      } catch (error) {
        internalError(error)
      } finally {
        // Back-pressure: the slot is held until the body is judged and the HAR has a place for the entry.
        if (pending === undefined) settle()
        else pending.then(settle, settle)
      }
    }

  const begin = (req: Http.IncomingMessage, res: Http.ServerResponse, startedAt: Date, arrivedAt: number) => {
    active++
    // Before anything is forwarded or printed: every key this request carries is a secret from now on.
    const requestSecrets = secrets.addRequest(req.rawHeaders, req.url ?? "/")
    forward(req, res, {
      target,
      maxBodyBytes: options.maxBodyBytes,
      upstreamTimeoutMs: options.upstreamTimeoutMs,
      arrivedAt,
      onEnd: onEnd(startedAt, requestSecrets)
    })
  }

  // Long hostile ids must reach the target, which decides on its own limits.
  const server = Http.createServer({ maxHeaderSize }, (req, res) => {
    if (active < options.maxConcurrent) begin(req, res, new Date(), performance.now())
    else queue.push([req, res, new Date(), performance.now()])
  })
  // Every header is read and forwarded, up to maxHeaderSize in bytes (Node stops at 2,000 by default, silently).
  server.maxHeadersCount = 0
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Net.Socket) => {
    if (error.code === "HPE_HEADER_OVERFLOW" && socket.writable) {
      // Too many header bytes: refused out loud (431), never cut.
      const body = JSON.stringify({
        type: "about:blank",
        title: "Request Header Fields Too Large",
        status: 431,
        detail: `postpress contract proxy: the request's headers are over ${maxHeaderSize} bytes`
      })
      socket.end(
        `HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
      )
      tally.notJudged("refused", 431, 0)
      emit(`finding: a request was refused with 431: its headers are over ${maxHeaderSize} bytes`)
      return
    }
    socket.destroy()
  })
  // CONNECT asks for a tunnel the proxy cannot judge: refused with a finding, the socket freed at once.
  server.on("connect", (req: Http.IncomingMessage, socket: Net.Socket) => {
    socket.on("error", () => {})
    socket.end(refusal("postpress contract proxy: CONNECT tunnels are not relayed"))
    tally.notJudged("refused", 405, 0)
    emit(`finding: CONNECT ${mask(req.url ?? "")} refused: tunnels are not relayed`)
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port, options.host, () => {
      server.off("error", reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address
  let closed: Promise<void> | undefined
  const idle = (): Promise<void> =>
    active === 0 && queue.length === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))
  const stopAccepting = () => {
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
  }
  return {
    url: `http://${host}:${address.port}`,
    inFlight: () => active + queue.length,
    stopAccepting,
    idle,
    destroy: async () => {
      stopAccepting()
      server.closeAllConnections()
      target.agent.destroy()
      // Queued exchanges whose sockets were just cut: each still ends once (as abandoned).
      for (const [req, res, startedAt, arrivedAt] of queue.splice(0)) {
        active++
        forward(req, res, {
          target,
          maxBodyBytes: options.maxBodyBytes,
          upstreamTimeoutMs: options.upstreamTimeoutMs,
          arrivedAt,
          onEnd: onEnd(startedAt, [])
        })
      }
      // Cut sockets end their exchanges on the next ticks: wait for them (briefly) so the report counts them.
      await Promise.race([idle(), new Promise((resolve) => setTimeout(resolve, 1000).unref())])
      await closed
    },
    report: () => tally.finish(performance.now() - began)
  }
}
