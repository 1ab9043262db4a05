/**
 * `proxy-vs-direct` (part of `pnpm bench`): requests per second of
 * `GET /v1/accounts/{id}` through the validating proxy (forwarding, judging
 * every exchange) ÷ the same requests sent straight to the mock, 32 in
 * flight, keep-alive, 127.0.0.1, alternating rounds (median of each side).
 * The mock, the proxy and the client share this process, as in the repo's
 * tests, so the proxy's work and the mock's compete for one thread: a
 * conservative setting (a deployed proxy has its own process).
 *
 * `proxy-soak-heap`: heap growth after 10,000 more requests through the same
 * proxy (after a warm-up and a GC), in MB; no peer. Needs `--expose-gc` for
 * an exact figure (without it, the note says so).
 *
 * Target ratio ≥ 0.6.
 */
import { Agent, request } from "node:http"
import { AccountsApi } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { type BenchEntry, entry } from "../../../scripts/bench-entry.js"
import * as ContractProxy from "../src/ContractProxy.js"
import { startMockServer } from "../src/MockServer.js"

const IN_FLIGHT = 32
const PER_ROUND = 4_000
const ROUNDS = 3
const WARMUP = 1_500
const SOAK = 10_000

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Sends `total` GETs with `IN_FLIGHT` workers over keep-alive sockets; returns requests per second. */
const load = async (base: string, path: string, headers: Record<string, string>, total: number): Promise<number> => {
  const { port } = new URL(base)
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT })
  let sent = 0
  let failures = 0
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request({ host: "127.0.0.1", port, path, headers, agent }, (res) => {
        if (res.statusCode !== 200) {
          failures++
          if (process.env.PROXY_BENCH_DEBUG) console.error(res.statusCode, res.headers)
        }
        res.resume()
        res.on("end", resolve)
      })
      req.on("error", (error) => {
        failures++
        if (process.env.PROXY_BENCH_DEBUG) console.error(error)
        resolve()
      })
      req.end()
    })
  const started = performance.now()
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (sent < total) {
        sent++
        await one()
      }
    })
  )
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  if (failures > 0) throw new Error(`proxy bench: ${failures} failed requests against ${base}`)
  return total / seconds
}

const heapMb = () => {
  ;(globalThis as { gc?: () => void }).gc?.()
  return process.memoryUsage().heapUsed / 1024 / 1024
}

export default async (): Promise<ReadonlyArray<BenchEntry>> => {
  const mock = await startMockServer({ seed: 20261129 })
  const ws = mock.workspaces[0]!
  const path = `/v1/accounts/${encodeURIComponent(ws.accountIds[1]!)}`
  const headers = { [AccountsApi.apiKeyHeader]: ws.apiKey }
  const scope = Effect.runSync(Scope.make())
  try {
    const proxy = await Effect.runPromise(Scope.extend(ContractProxy.make({ target: mock.url }), scope))
    await load(mock.url, path, headers, WARMUP)
    await load(proxy.url, path, headers, WARMUP)
    const ours: Array<number> = []
    const peer: Array<number> = []
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await load(proxy.url, path, headers, PER_ROUND))
      peer.push(await load(mock.url, path, headers, PER_ROUND))
    }
    const before = heapMb()
    await load(proxy.url, path, headers, SOAK)
    const growth = heapMb() - before
    const counts = await Effect.runPromise(proxy.counts)
    const exact = (globalThis as { gc?: unknown }).gc !== undefined
    return [
      entry("proxy-vs-direct", median(ours), median(peer), "req/s", {
        note: `GET account through the judging proxy vs straight to the mock, ${IN_FLIGHT} in flight, loopback, one process, median of ${ROUNDS} alternating rounds of ${PER_ROUND}; target ≥ 0.6`
      }),
      {
        name: "proxy-soak-heap",
        ours: Math.round(growth * 10) / 10,
        peer: null,
        unit: "MB heap growth",
        ratio: null,
        note: `${SOAK} more requests through the proxy (${counts.judged} judged in all, ${counts.exchanges - counts.judged} not judged)${exact ? "" : "; run node with --expose-gc for an exact figure"}`
      }
    ]
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await mock.stop()
  }
}
