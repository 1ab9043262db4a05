/**
 * One proxy session: the listening server, the bound on exchanges in flight,
 * and what happens when an exchange ends (judge, print, tally, HAR).
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { AccountsApi } from "@postpress/schema"
import * as Redacted from "effect/Redacted"
import { type Judgement, judge, locate } from "../rules/judge.js"
import { makeTrafficTally, type TrafficReport } from "../rules/traffic.js"
import { redact } from "../rules/validate.js"
import { type Ended, forward, makeTarget, type Target } from "./forward.js"
import type { HarWriter } from "./harWriter.js"

/**
 * @internal
 */
export interface SessionOptions {
  readonly target: URL
  readonly host: string
  readonly port: number
  readonly strict: boolean
  readonly apiKey: Redacted.Redacted<string> | undefined
  readonly failOnDrift: boolean
  readonly maxRequests: number | undefined
  readonly maxConcurrent: number
  readonly maxBodyBytes: number
  readonly har: HarWriter | undefined
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

const keyHeader = AccountsApi.apiKeyHeader.toLowerCase()

/**
 * Starts listening.
 *
 * @internal
 */
export const start = async (options: SessionOptions): Promise<Session> => {
  const began = performance.now()
  const target: Target = makeTarget(options.target, options.maxConcurrent)
  const baseUrl = `${options.target.origin}${target.basePath}`
  const configuredKey = options.apiKey === undefined ? undefined : Redacted.value(options.apiKey)
  const tally = makeTrafficTally({
    baseUrl,
    strict: options.strict,
    apiKey: options.apiKey,
    failOnDrift: options.failOnDrift,
    startedAt: new Date().toISOString()
  })
  const queue: Array<[Http.IncomingMessage, Http.ServerResponse, Date]> = []
  let active = 0
  let judgedCount = 0
  let limitSignalled = false
  let idleWaiters: Array<() => void> = []

  const maskFor = (req: Http.IncomingMessage) => {
    const own = req.headers[keyHeader]
    const keys = [configuredKey, typeof own === "string" ? own : undefined]
    return (text: string) => keys.reduce<string>((out, key) => redact(out, key), text)
  }

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

  const onEnd = (startedAt: Date) => (req: Http.IncomingMessage, ended: Ended) => {
    try {
      if (ended._tag === "Unreachable") {
        tally.transportFailure(ended.latencyMs)
        return
      }
      if (ended._tag === "Abandoned") {
        tally.notJudged(null, ended.latencyMs, true)
        return
      }
      const path = req.url ?? "/"
      const url = `${options.target.origin}${target.basePath}${path}`
      const method = req.method ?? "GET"
      const isOperation = locate(method, `${target.basePath}${path}`, baseUrl)._tag === "Account"
      let judgement: Judgement | undefined
      if (isOperation && ended.body !== undefined && ended.complete) {
        judgement = judge(
          {
            request: { method, url, headers: req.headers },
            response: { status: ended.status, headers: ended.headers, body: ended.body }
          },
          { baseUrl, strict: options.strict, apiKey: options.apiKey }
        )
        tally.judged(
          { url, status: ended.status, body: ended.body.toString("utf8"), latencyMs: ended.latencyMs },
          judgement
        )
        judgedCount++
        if (judgement.findings.length > 0) {
          const mask = maskFor(req)
          for (const finding of judgement.findings) {
            options.onViolation(
              `violation ${finding.check}: ${method} ${mask(path)} → ${ended.status}: ${mask(finding.message).replaceAll("\n", " ")}`
            )
          }
        }
      } else {
        tally.notJudged(ended.status, ended.latencyMs, isOperation)
      }
      options.har?.add(
        {
          startedAt,
          method,
          url,
          httpVersion: req.httpVersion,
          requestRawHeaders: req.rawHeaders,
          status: ended.status,
          statusText: Http.STATUS_CODES[ended.status] ?? "",
          responseRawHeaders: ended.rawHeaders,
          body: ended.body,
          bodySize: ended.bodySize,
          latencyMs: ended.latencyMs,
          judged: judgement !== undefined,
          findings: judgement?.findings ?? []
        },
        maskFor(req)
      )
      if (options.maxRequests !== undefined && judgedCount >= options.maxRequests && !limitSignalled) {
        limitSignalled = true
        options.onLimit()
      }
    } finally {
      settle()
    }
  }

  const begin = (req: Http.IncomingMessage, res: Http.ServerResponse, startedAt: Date) => {
    active++
    forward(req, res, { target, maxBodyBytes: options.maxBodyBytes, onEnd: onEnd(startedAt) })
  }

  // Long hostile ids must reach the target, which decides on its own limits.
  const server = Http.createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
    if (active < options.maxConcurrent) begin(req, res, new Date())
    else queue.push([req, res, new Date()])
  })
  server.on("clientError", (_error, socket) => socket.destroy())
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
  const stopAccepting = () => {
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
  }
  return {
    url: `http://${host}:${address.port}`,
    inFlight: () => active + queue.length,
    stopAccepting,
    idle: () =>
      active === 0 && queue.length === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve)),
    destroy: async () => {
      stopAccepting()
      server.closeAllConnections()
      target.agent.destroy()
      await closed
    },
    report: () => tally.finish(performance.now() - began)
  }
}
