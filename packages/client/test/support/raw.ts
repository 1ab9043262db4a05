/**
 * A raw TCP server on 127.0.0.1 for answers no HTTP server library would
 * write (a status line `HTTP/1.1 099`, control bytes in the reason phrase):
 * each request head is answered with `answer`'s bytes (latin1) and the
 * connection closed. Scoped: stopped with the test's Scope.
 */
import * as Net from "node:net"
import * as Effect from "effect/Effect"

export interface RawServer {
  readonly origin: string
  /** Request heads received, in order. */
  readonly heads: Array<string>
}

export const rawServer = (answer: (head: string) => string) =>
  Effect.acquireRelease(
    Effect.async<RawServer & { readonly server: Net.Server; readonly sockets: Set<Net.Socket> }>((resume) => {
      const heads: Array<string> = []
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
          const head = seen.slice(0, end)
          seen = seen.slice(end + 4)
          heads.push(head)
          socket.end(Buffer.from(answer(head), "latin1"))
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as Net.AddressInfo
        resume(Effect.succeed({ origin: `http://127.0.0.1:${port}`, heads, server, sockets }))
      })
    }),
    ({ server, sockets }) =>
      Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
  )
