/**
 * Test servers listen on 127.0.0.1 with a free port and stop with their
 * keep-alive sockets closed, so a test never waits on an idle connection.
 */
import type * as Http from "node:http"
import type { AddressInfo } from "node:net"

/** Listens on 127.0.0.1:0; `origin` is `http://127.0.0.1:PORT`. */
export const listenLoopback = async (
  server: Http.Server
): Promise<{ readonly origin: string; readonly stop: () => Promise<void> }> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
