/**
 * `pnpm bench client`: requests/s of `AccountsClient.retrieve` (decode
 * included) against plain `fetch` + `JSON.parse`, both hitting the same
 * loopback node:http server that answers a fixed valid account, sequentially
 * and with 32 in flight. The machine is shared and noisy, so the two sides
 * alternate in many short slices (ABBA order, so warm-up and drift hit both
 * alike) and each side's rate is its requests over its own time. Bounded to
 * ~20 s. The last entry compares the client with the bare platform call it
 * makes (same transport, decoder and timeout): what the client's own code costs.
 * The warm-up is long because the client has more code for the JIT to
 * settle than fetch has. `--smoke`: 50 ms warm-up, two pairs of 50 ms slices.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { AccountDecoder } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { type BenchEntry, type BenchOptions, entry, sized } from "../../../scripts/bench-entry.js"
import * as AccountsClient from "../src/AccountsClient.js"
import { account, accountJson } from "../test/support/fixtures.js"

const CONCURRENCY = 32
const KEY = "pp_bench_key"
// The served account's own id: the client rejects a 200 for another id.
const ID = account.id

type Runner = (untilMs: number) => Promise<number>

const fetchWorker = async (url: string, untilMs: number): Promise<number> => {
  let n = 0
  while (performance.now() < untilMs) {
    const response = await fetch(url, { headers: { "X-API-KEY": KEY, accept: "application/json" } })
    JSON.parse(await response.text())
    n++
  }
  return n
}

const workers = async (count: number, worker: (untilMs: number) => Promise<number>, untilMs: number) =>
  (await Promise.all(Array.from({ length: count }, () => worker(untilMs)))).reduce((a, b) => a + b, 0)

/** How long each side warms up, how long a slice is, how many pairs of slices. */
interface Timing {
  readonly warmupMs: number
  readonly sliceMs: number
  readonly pairs: number
}

/** Requests per second of one slice, measured on the slice's actual length. */
const slice = async (runner: Runner, sliceMs: number) => {
  const start = performance.now()
  const count = await runner(start + sliceMs)
  return { count, ms: performance.now() - start }
}

const sideBySide = async (timing: Timing, ours: Runner, peer: Runner) => {
  const { warmupMs, sliceMs, pairs } = timing
  await ours(performance.now() + warmupMs)
  await peer(performance.now() + warmupMs)
  const total = { ours: { count: 0, ms: 0 }, peer: { count: 0, ms: 0 } }
  const add = (side: "ours" | "peer", s: { count: number; ms: number }) => {
    total[side].count += s.count
    total[side].ms += s.ms
  }
  for (let pair = 0; pair < pairs; pair++) {
    if (pair % 2 === 0) {
      add("ours", await slice(ours, sliceMs))
      add("peer", await slice(peer, sliceMs))
    } else {
      add("peer", await slice(peer, sliceMs))
      add("ours", await slice(ours, sliceMs))
    }
  }
  return { ours: (total.ours.count / total.ours.ms) * 1000, peer: (total.peer.count / total.peer.ms) * 1000 }
}

/** The entries this module writes. */
export const entries: ReadonlyArray<string> = [
  "client-vs-fetch-sequential",
  "client-vs-fetch-concurrent",
  "client-undici-vs-fetch-sequential",
  "client-undici-vs-fetch-concurrent",
  "client-undici-vs-platform-undici-sequential"
]

export default async (bench: BenchOptions): Promise<ReadonlyArray<BenchEntry>> => {
  const timing: Timing = sized(
    bench,
    { warmupMs: 1500, sliceMs: 200, pairs: 12 },
    { warmupMs: 50, sliceMs: 50, pairs: 2 }
  )
  const body = Buffer.from(accountJson)
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const url = `${origin}/api/v1/accounts/${ID}`
  const options = { apiKey: Redacted.make(KEY), baseUrl: `${origin}/api` }
  // The default layer (the platform's fetch client) and the same service on
  // the platform's undici client, the faster Node transport a user can provide.
  const runtime = ManagedRuntime.make(AccountsClient.layer(options))
  const undiciRuntime = ManagedRuntime.make(
    AccountsClient.layerWithoutHttpClient(options).pipe(Layer.provide(NodeHttpClient.layerUndici))
  )
  // The floor the client's own code can be judged against: the same undici
  // transport, tracing on, the same decoder, under the same Effect.timeoutFail,
  // without the client (no span of ours, retry loop, id check or error mapping).
  const platformRuntime = ManagedRuntime.make(NodeHttpClient.layerUndici)
  const request = HttpClientRequest.get(url).pipe(
    HttpClientRequest.setHeaders({ "x-api-key": KEY, accept: "application/json" })
  )
  const platformGet = Effect.flatMap(HttpClient.HttpClient, (http) =>
    Effect.timeoutFail(
      Effect.flatMap(http.execute(request), (response) => response.text),
      { duration: "10 seconds", onTimeout: () => new Error("timeout") }
    ).pipe(Effect.flatMap((text) => AccountDecoder.decodeEither(JSON.parse(text))))
  )
  try {
    const effectRunner =
      <R, E>(
        rt: ManagedRuntime.ManagedRuntime<R, E>,
        once: Effect.Effect<unknown, unknown, R>,
        count: number
      ): Runner =>
      (untilMs) => {
        const worker = Effect.gen(function* () {
          let n = 0
          while (performance.now() < untilMs) {
            yield* once
            n++
          }
          return n
        })
        return rt.runPromise(
          Effect.all(
            Array.from({ length: count }, () => worker),
            { concurrency: "unbounded" }
          ).pipe(Effect.map((ns) => ns.reduce((a, b) => a + b, 0)))
        )
      }
    const retrieve = AccountsClient.retrieve(ID)
    const clientRunner = (rt: typeof runtime, count: number): Runner => effectRunner(rt, retrieve, count)
    const fetchRunner =
      (count: number): Runner =>
      (untilMs) =>
        workers(count, (until) => fetchWorker(url, until), untilMs)

    const sequential = await sideBySide(timing, clientRunner(runtime, 1), fetchRunner(1))
    const concurrent = await sideBySide(timing, clientRunner(runtime, CONCURRENCY), fetchRunner(CONCURRENCY))
    const undiciSequential = await sideBySide(timing, clientRunner(undiciRuntime, 1), fetchRunner(1))
    const undiciConcurrent = await sideBySide(
      timing,
      clientRunner(undiciRuntime, CONCURRENCY),
      fetchRunner(CONCURRENCY)
    )
    const overPlatform = await sideBySide(
      timing,
      clientRunner(undiciRuntime, 1),
      effectRunner(platformRuntime, platformGet, 1)
    )
    const note = `loopback node:http, ${timing.pairs} alternating ${timing.sliceMs} ms slices per side`
    return [
      entry("client-vs-fetch-sequential", sequential.ours, sequential.peer, "requests/s", { note }),
      entry("client-vs-fetch-concurrent", concurrent.ours, concurrent.peer, "requests/s", {
        note: `${CONCURRENCY} in flight; ${note}`
      }),
      entry("client-undici-vs-fetch-sequential", undiciSequential.ours, undiciSequential.peer, "requests/s", {
        note: `NodeHttpClient.layerUndici; ${note}`
      }),
      entry("client-undici-vs-fetch-concurrent", undiciConcurrent.ours, undiciConcurrent.peer, "requests/s", {
        note: `NodeHttpClient.layerUndici, ${CONCURRENCY} in flight; ${note}`
      }),
      entry("client-undici-vs-platform-undici-sequential", overPlatform.ours, overPlatform.peer, "requests/s", {
        note: `peer: HttpClient.execute + text + AccountDecoder under Effect.timeoutFail, same transport; ${note}`
      })
    ]
  } finally {
    await runtime.dispose()
    await undiciRuntime.dispose()
    await platformRuntime.dispose()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
