/**
 * Helpers for the proxy tests: a raw `node:http` client (paths sent as
 * written, raw headers kept) and an origin server that answers from a table
 * and echoes what it received.
 */
import * as Http from "node:http"
import * as Net from "node:net"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Chunk from "effect/Chunk"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as ContractEvent from "../src/ContractEvent.js"
import * as ContractProxy from "../src/ContractProxy.js"
import type { TrafficReport } from "../src/ContractTraffic.js"
import { listenLoopback } from "./support/loopback.js"

/** The line of a violation or finding (what the CLI prints), none for the other events. */
export const lineOf = (event: ContractEvent.ProxyEvent): Option.Option<string> =>
  event._tag === "Violation" || event._tag === "Finding" ? Option.some(event.line) : Option.none()

/** What one proxy session gave: the body's result, the report, and every violation and finding line in order. */
export interface Session<A> {
  readonly result: A
  readonly report: TrafficReport
  readonly lines: ReadonlyArray<string>
}

/**
 * Runs `body` against a proxy with `options`, then stops it (drain `drain`)
 * and returns the result, the report and the lines of its event stream
 * (which ends with the stop, so every line is in).
 */
export const proxySession = <A, E, R>(
  options: ContractProxy.Options,
  body: (url: string) => Effect.Effect<A, E, R>,
  drain: Duration.DurationInput = "2 seconds"
): Effect.Effect<Session<A>, E | ContractProxy.ContractProxyError, R | FileSystem.FileSystem> =>
  Effect.scoped(
    Effect.gen(function* () {
      const proxy = yield* ContractProxy.make(options)
      const lines = yield* Effect.fork(Stream.runCollect(Stream.filterMap(proxy.events, lineOf)))
      const result = yield* body(proxy.url)
      const report = yield* proxy.stop(drain)
      return { result, report, lines: Chunk.toReadonlyArray(yield* Fiber.join(lines)) }
    })
  )

/** {@link proxySession} for a Promise body, run with the Node file system. */
export const withProxy = <A>(
  options: ContractProxy.Options,
  body: (url: string) => Promise<A>,
  drain?: Duration.DurationInput
): Promise<Session<A>> =>
  Effect.runPromise(
    proxySession(options, (url) => Effect.promise(() => body(url)), drain).pipe(Effect.provide(NodeFileSystem.layer))
  )

export interface Raw {
  readonly status: number
  readonly statusMessage: string
  readonly rawHeaders: ReadonlyArray<string>
  readonly body: Buffer
}

const agent = new Http.Agent({ keepAlive: true, maxSockets: 128 })

/** Collects a response into a {@link Raw}. */
const collect =
  (resolve: (raw: Raw) => void, reject: (error: Error) => void) =>
  (res: Http.IncomingMessage): void => {
    const chunks: Array<Buffer> = []
    res.on("data", (c: Buffer) => chunks.push(c))
    res.on("error", reject)
    res.on("end", () =>
      resolve({
        status: res.statusCode ?? 0,
        statusMessage: res.statusMessage ?? "",
        rawHeaders: res.rawHeaders,
        body: Buffer.concat(chunks)
      })
    )
  }

/** Sends `path` exactly as written (no URL normalisation). */
export const send = (
  base: string,
  path: string,
  init: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string } = {}
): Promise<Raw> =>
  new Promise((resolve, reject) => {
    const url = new URL(base)
    const req = Http.request(
      {
        host: url.hostname,
        port: url.port,
        method: init.method ?? "GET",
        path: `${url.pathname.replace(/\/+$/, "")}${path}`,
        headers: init.headers ?? {},
        agent,
        maxHeaderSize: 1024 * 1024
      },
      collect(resolve, reject)
    )
    req.on("error", reject)
    req.end(init.body)
  })

/** Sends raw header pairs in order, repeats kept (`send` takes a record, which cannot repeat a name). */
export const sendRaw = (base: string, path: string, rawHeaders: ReadonlyArray<string>): Promise<Raw> =>
  new Promise((resolve, reject) => {
    const url = new URL(base)
    const req = Http.request(
      {
        host: url.hostname,
        port: url.port,
        method: "GET",
        path: `${url.pathname.replace(/\/+$/, "")}${path}`,
        // An array of headers gets no Host from Node: HTTP/1.1 requires one.
        headers: ["Host", url.host, ...rawHeaders],
        agent: false,
        maxHeaderSize: 1024 * 1024
      },
      collect(resolve, reject)
    )
    req.on("error", reject)
    req.end()
  })

const hop = new Set(["connection", "keep-alive", "transfer-encoding", "date"])

/** End-to-end headers as `name: value` lines, in order (names as sent). */
export const endToEndHeaders = (raw: ReadonlyArray<string>): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (let i = 0; i < raw.length; i += 2) {
    if (!hop.has(raw[i]!.toLowerCase())) out.push(`${raw[i]}: ${raw[i + 1]}`)
  }
  return out
}

export interface Origin {
  readonly url: string
  /** Highest number of requests open at once. */
  readonly maxOpen: () => number
  readonly stop: () => Promise<void>
}

/**
 * An origin with fixed answers by path; anything else echoes the request
 * (method, raw target, raw headers, body) as JSON.
 */
export const startOrigin = async (
  routes: Record<string, (req: Http.IncomingMessage, res: Http.ServerResponse) => void>,
  options: { readonly delayMs?: number } = {}
): Promise<Origin> => {
  let open = 0
  let maxOpen = 0
  // Large header sections are the proxy's to relay: the origin reads them all.
  const server = Http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    open++
    maxOpen = Math.max(maxOpen, open)
    res.on("close", () => open--)
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const answer = () => {
        const route = routes[(req.url ?? "").split("?")[0]!]
        if (route !== undefined) return route(req, res)
        const body = JSON.stringify({
          method: req.method,
          url: req.url,
          rawHeaders: req.rawHeaders,
          body: Buffer.concat(chunks).toString("utf8")
        })
        res.sendDate = false
        res.writeHead(404, { "Content-Type": "application/json", "X-Origin": "yes" })
        res.end(body)
      }
      if (options.delayMs === undefined) answer()
      else setTimeout(answer, options.delayMs)
    })
  })
  // Every header the client sent is echoed, however many (Node keeps 2,000 raw entries by default).
  server.maxHeadersCount = 0
  const { origin, stop } = await listenLoopback(server)
  return { url: origin, maxOpen: () => maxOpen, stop }
}

/** A raw TCP upstream: answers each request with the bytes `answer(path)` gives (or nothing, when undefined). */
export const rawUpstream = async (answer: (path: string) => string | undefined) => {
  const sockets = new Set<Net.Socket>()
  const server = Net.createServer((socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
    socket.on("error", () => {})
    let seen = ""
    socket.on("data", (chunk) => {
      seen += chunk.toString("latin1")
      const end = seen.indexOf("\r\n\r\n")
      if (end === -1) return
      const path = seen.split(" ")[1] ?? "/"
      seen = seen.slice(end + 4)
      const bytes = answer(path)
      if (bytes !== undefined) socket.end(Buffer.from(bytes, "latin1"))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as Net.AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}
