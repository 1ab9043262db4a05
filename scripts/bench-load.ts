/**
 * The load client the mock and proxy benches share: `total` GETs from
 * `inFlight` workers over keep-alive `node:http` sockets to 127.0.0.1.
 * `PROXY_BENCH_DEBUG=1` prints each failure.
 */
import { Agent, request } from "node:http"

/** The middle value (the upper one of an even count). */
export const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Sends `total` GETs of `path` to `base`'s port; returns requests per second, throws if any failed. */
export const load = async (
  base: string,
  path: string,
  headers: Record<string, string>,
  total: number,
  inFlight: number
): Promise<number> => {
  const { port } = new URL(base)
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight })
  const debug = process.env.PROXY_BENCH_DEBUG !== undefined
  let sent = 0
  let failures = 0
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request({ host: "127.0.0.1", port, path, headers, agent }, (res) => {
        if (res.statusCode !== 200) {
          failures++
          if (debug) console.error(res.statusCode, res.headers)
        }
        res.resume()
        res.on("end", resolve)
      })
      req.on("error", (error) => {
        failures++
        if (debug) console.error(error)
        resolve()
      })
      req.end()
    })
  const started = performance.now()
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (sent < total) {
        sent++
        await one()
      }
    })
  )
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  if (failures > 0) throw new Error(`bench: ${failures} failed requests against ${base}`)
  return total / seconds
}
