/**
 * The proxy's listening socket as a scoped resource: `node:http` at its core
 * (every header read, up to a quarter MiB of them; a request over that
 * refused out loud with a 431; CONNECT refused with a 405), listening while
 * its scope is open. Requests go to `onRequest`; what is refused before it
 * becomes an exchange goes to `onRefused` with its status and a line.
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import type * as Net from "node:net"
import type { AddressInfo } from "node:net"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Scope from "effect/Scope"
import { CannotListen } from "./errors.js"
import { maxHeaderSize, problemBody } from "./wire.js"

/**
 * @internal
 */
export interface ListenerOptions {
  readonly host: string
  readonly port: number
  readonly onRequest: (req: Http.IncomingMessage, res: Http.ServerResponse) => void
  /** A request refused before it was an exchange (431, 405): its status and what to say (raw: the caller masks). */
  readonly onRefused: (status: number, line: string) => void
}

/**
 * @internal
 */
export interface Listener {
  /** `http://127.0.0.1:PORT` (IPv6 addresses in brackets). */
  readonly url: string
  /** No new connections; idle keep-alive ones are closed, busy ones finish their exchange. */
  readonly stopAccepting: Effect.Effect<void>
  /** No new connections, and every open one cut. */
  readonly cut: Effect.Effect<void>
  /** Completes once the server is closed (every connection ended). */
  readonly closed: Effect.Effect<void>
}

const problem = (status: number, detail: string): string => {
  const body = problemBody(status, detail)
  return `HTTP/1.1 ${status} ${Http.STATUS_CODES[status]}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
}

const refuseRequests = (server: Http.Server, onRefused: ListenerOptions["onRefused"]): void => {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Net.Socket) => {
    if (error.code === "HPE_HEADER_OVERFLOW" && socket.writable) {
      // Too many header bytes: refused out loud (431), never cut.
      const detail = `postpress contract proxy: the request's headers are over ${maxHeaderSize} bytes`
      socket.end(problem(431, detail))
      onRefused(431, `a request was refused with 431: its headers are over ${maxHeaderSize} bytes`)
      return
    }
    socket.destroy()
  })
  // CONNECT asks for a tunnel the proxy cannot judge: refused with a finding, the socket freed at once.
  server.on("connect", (req: Http.IncomingMessage, socket: Net.Socket) => {
    socket.on("error", () => {})
    socket.end(problem(405, "postpress contract proxy: CONNECT tunnels are not relayed"))
    onRefused(405, `CONNECT ${req.url ?? ""} refused: tunnels are not relayed`)
  })
}

const listening = (server: Http.Server, options: ListenerOptions): Effect.Effect<string, CannotListen> =>
  Effect.async<string, CannotListen>((resume) => {
    const failed = (error: NodeJS.ErrnoException) =>
      resume(
        Effect.fail(
          new CannotListen({ host: options.host, port: options.port, code: error.code, detail: error.message })
        )
      )
    server.once("error", failed)
    try {
      server.listen(options.port, options.host, () => {
        server.off("error", failed)
        const address = server.address() as AddressInfo
        const host = address.family === "IPv6" ? `[${address.address}]` : address.address
        resume(Effect.succeed(`http://${host}:${address.port}`))
      })
    } catch (error) {
      // A port Node refuses outright (out of range) throws instead of emitting.
      failed(error as NodeJS.ErrnoException)
    }
  })

/**
 * Listens on `host:port` until the scope closes (then every connection is cut).
 *
 * @internal
 */
export const listen = (options: ListenerOptions): Effect.Effect<Listener, CannotListen, Scope.Scope> =>
  Effect.gen(function* () {
    // Long hostile ids must reach the target, which decides on its own limits.
    const server = Http.createServer({ maxHeaderSize }, options.onRequest)
    // Every header is read and forwarded, up to maxHeaderSize in bytes (Node stops at 2,000 by default, silently).
    server.maxHeadersCount = 0
    refuseRequests(server, options.onRefused)
    const closed = yield* Deferred.make<void>()
    server.on("close", () => Deferred.unsafeDone(closed, Exit.void))
    const stopAccepting = Effect.sync(() => {
      if (server.listening) server.close()
      server.closeIdleConnections()
    })
    const cut = Effect.sync(() => {
      if (server.listening) server.close()
      server.closeAllConnections()
    })
    const url = yield* Effect.acquireRelease(listening(server, options), () =>
      Effect.zipRight(cut, Deferred.await(closed))
    )
    return { url, stopAccepting, cut, closed: Deferred.await(closed) }
  })
