/**
 * Small loopback HTTP servers for tests: 127.0.0.1, port 0, every request
 * recorded, closed by the test that opened them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"

export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
}

export interface Loopback {
  readonly origin: string
  readonly requests: Array<Seen>
  readonly close: () => Promise<void>
}

/** `handler` receives the 0-based index of the request. */
export type Handler = (req: IncomingMessage, res: ServerResponse, index: number) => void

export const listen = (handler: Handler): Promise<Loopback> =>
  new Promise((resolve, reject) => {
    const requests: Array<Seen> = []
    // The contract suite's longest hostile ids make ~25 KB URLs: with Node's default 16 KiB limit this server
    // would answer them a bodyless 431 for some random seeds (the CLI staging tests run the suite against it).
    const server = createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
      const index = requests.length
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers })
      req.resume()
      req.on("end", () => handler(req, res, index))
    })
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        origin: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })

/** A server scoped to the current test's Scope. */
export const loopback = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.promise(() => listen(handler)),
    (server) => Effect.promise(() => server.close())
  )

export const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = typeof body === "string" ? body : JSON.stringify(body)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers })
  res.end(text)
}

/** The id a request asked for: the last path segment, percent-decoded. */
export const requestedId = (req: IncomingMessage): string =>
  decodeURIComponent((req.url ?? "").split("?")[0]!.split("/").pop() ?? "")

/** `body` (an account) under the id the request asked for: the client checks `body.id`. */
export const answering = <A extends object>(req: IncomingMessage, body: A): A & { readonly id: string } => ({
  ...body,
  id: requestedId(req)
})

/**
 * A count-down latch a server callback can count down (plain function, no
 * fiber needed) and a test can await: the test proceeds on the event itself,
 * never after a sleep.
 */
export const latch = (count: number) =>
  Effect.map(Deferred.make<void>(), (done) => {
    let left = count
    return {
      countDown: () => {
        left -= 1
        if (left === 0) Deferred.unsafeDone(done, Exit.void)
      },
      await: Deferred.await(done)
    }
  })
