/**
 * Test servers listen on 127.0.0.1 with a free port and stop with their
 * keep-alive sockets closed, so a test never waits on an idle connection.
 */
import type * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { afterEach } from "vitest"

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

/**
 * `start` whose servers are stopped after each test of the file that calls
 * this (at its top level: it registers the `afterEach`).
 */
export const stoppedAfterEach = <O, S extends { readonly stop: () => Promise<void> }>(
  start: (options: O) => Promise<S>
): ((options: O) => Promise<S>) => {
  const stops: Array<() => Promise<void>> = []
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()))
  })
  return async (options) => {
    const server = await start(options)
    stops.push(server.stop)
    return server
  }
}
