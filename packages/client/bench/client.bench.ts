/**
 * `pnpm bench client`: requests/s of `AccountsClient.retrieve` (decode
 * included), side by side with a peer on the same loopback node:http server
 * answering a fixed valid account. The machine is shared and noisy, so the
 * two sides alternate in many short slices (ABBA order, so warm-up and drift
 * hit both alike) and each side's rate is its requests over its own time.
 *
 * The peers: plain `fetch` + `JSON.parse` (sequential and 32 in flight), on
 * the default layer (the platform's fetch client) and on the platform's
 * undici client; the bare platform call the client makes (same transport,
 * decoder and per-attempt timeout); and Effect's own `HttpApiClient` built on
 * `@postpress/schema`'s `AccountsApi` (decoding the same Account with its
 * Schema) on the same transport, plain, and with the client's per-attempt
 * timeout and `Effect.retry` with `RetryPolicy.schedule` added (what the
 * client does on every call). The warm-up is long because the client has
 * more code for the JIT to settle than fetch has. `--smoke`: 50 ms warm-up,
 * two pairs of 50 ms slices.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { AccountDecoder, AccountsApi, RetryPolicy } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import { type BenchEntry, type BenchOptions, entry, sized } from "../../../scripts/bench-entry.js"
import * as AccountsClient from "../src/AccountsClient.js"
import { account, accountJson } from "../test/support/fixtures.js"

const CONCURRENCY = 32
const KEY = "pp_bench_key"
// The served account's own id: the client rejects a 200 for another id.
const ID = account.id

/** Runs requests until `untilMs` (performance.now()), resolving how many completed. */
type Runner = (untilMs: number) => Promise<number>

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

/** `count` workers each running `once` back to back on `runtime` until the slice ends. */
const effectRunner =
  <R, E>(runtime: ManagedRuntime.ManagedRuntime<R, E>, once: Effect.Effect<unknown, unknown, R>, count = 1): Runner =>
  (untilMs) => {
    const worker = Effect.gen(function* () {
      let n = 0
      while (performance.now() < untilMs) {
        yield* once
        n++
      }
      return n
    })
    return runtime.runPromise(
      Effect.map(
        Effect.all(
          Array.from({ length: count }, () => worker),
          { concurrency: "unbounded" }
        ),
        (ns) => ns.reduce((a, b) => a + b, 0)
      )
    )
  }

const fetchRunner =
  (url: string, count = 1): Runner =>
  async (untilMs) => {
    const worker = async () => {
      let n = 0
      while (performance.now() < untilMs) {
        const response = await fetch(url, { headers: { "X-API-KEY": KEY, accept: "application/json" } })
        JSON.parse(await response.text())
        n++
      }
      return n
    }
    return (await Promise.all(Array.from({ length: count }, worker))).reduce((a, b) => a + b, 0)
  }

/** The loopback server: every request answered with the account, length declared. */
const serve = async () => {
  const body = Buffer.from(accountJson)
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/**
 * The peers' calls on the transport in context: the bare platform call the
 * client makes (execute, text, AccountDecoder under the same per-attempt
 * `Effect.timeoutFail`), and `HttpApiClient` for `AccountsApi`, plain and
 * with the client's per-attempt timeout and policy retry added.
 */
const peerCalls = (origin: string) =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const policy = Either.getOrThrow(RetryPolicy.make())
    const limit = <A, E>(call: Effect.Effect<A, E>) =>
      Effect.timeoutFail(call, { duration: policy.timeoutMs, onTimeout: () => new Error("timeout") })
    const request = HttpClientRequest.get(`${origin}/api/v1/accounts/${ID}`).pipe(
      HttpClientRequest.setHeaders({ "x-api-key": KEY, accept: "application/json" })
    )
    const platformGet = limit(Effect.flatMap(http.execute(request), (response) => response.text)).pipe(
      Effect.flatMap((text) => AccountDecoder.decodeEither(JSON.parse(text)))
    )
    const client = yield* HttpApiClient.make(AccountsApi.PostpressApi, {
      baseUrl: `${origin}/api`,
      transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader(AccountsApi.apiKeyHeader, KEY))
    })
    const httpApi = client.accounts.retrieve({ path: { id: ID } })
    const retried = Effect.suspend(() =>
      Effect.retry(
        limit(httpApi),
        RetryPolicy.schedule(policy, { startedAtMs: Date.now() }).pipe(
          Schedule.mapInput((): RetryPolicy.Failure => ({ _tag: "Transport" }))
        )
      )
    )
    return { platformGet, httpApi, httpApiWithPolicy: retried }
  })

/** The entries this module writes. */
export const entries: ReadonlyArray<string> = [
  "client-vs-fetch-sequential",
  "client-vs-fetch-concurrent",
  "client-undici-vs-fetch-sequential",
  "client-undici-vs-fetch-concurrent",
  "client-undici-vs-platform-undici-sequential",
  "client-vs-httpapiclient",
  "client-undici-vs-httpapiclient-undici",
  "client-vs-httpapiclient-timeout-retry"
]

export default async (bench: BenchOptions): Promise<ReadonlyArray<BenchEntry>> => {
  const timing: Timing = sized(
    bench,
    { warmupMs: 1500, sliceMs: 200, pairs: 12 },
    { warmupMs: 50, sliceMs: 50, pairs: 2 }
  )
  const server = await serve()
  const options = { apiKey: Redacted.make(KEY), baseUrl: `${server.origin}/api` }
  // The default layer (the platform's fetch client) and the same service on the platform's undici
  // client, the faster Node transport a user can provide; each with the peers' calls on its transport.
  const fetchSide = ManagedRuntime.make(Layer.merge(AccountsClient.layer(options), FetchHttpClient.layer))
  const undiciSide = ManagedRuntime.make(
    AccountsClient.layerWithoutHttpClient(options).pipe(Layer.provideMerge(NodeHttpClient.layerUndici))
  )
  try {
    const onFetch = await fetchSide.runPromise(peerCalls(server.origin))
    const onUndici = await undiciSide.runPromise(peerCalls(server.origin))
    const retrieve = AccountsClient.retrieve(ID)
    const url = `${server.origin}/api/v1/accounts/${ID}`
    const compare = (ours: Runner, peer: Runner) => sideBySide(timing, ours, peer)
    const results = {
      "client-vs-fetch-sequential": await compare(effectRunner(fetchSide, retrieve), fetchRunner(url)),
      "client-vs-fetch-concurrent": await compare(
        effectRunner(fetchSide, retrieve, CONCURRENCY),
        fetchRunner(url, CONCURRENCY)
      ),
      "client-undici-vs-fetch-sequential": await compare(effectRunner(undiciSide, retrieve), fetchRunner(url)),
      "client-undici-vs-fetch-concurrent": await compare(
        effectRunner(undiciSide, retrieve, CONCURRENCY),
        fetchRunner(url, CONCURRENCY)
      ),
      "client-undici-vs-platform-undici-sequential": await compare(
        effectRunner(undiciSide, retrieve),
        effectRunner(undiciSide, onUndici.platformGet)
      ),
      "client-vs-httpapiclient": await compare(
        effectRunner(fetchSide, retrieve),
        effectRunner(fetchSide, onFetch.httpApi)
      ),
      "client-undici-vs-httpapiclient-undici": await compare(
        effectRunner(undiciSide, retrieve),
        effectRunner(undiciSide, onUndici.httpApi)
      ),
      "client-vs-httpapiclient-timeout-retry": await compare(
        effectRunner(fetchSide, retrieve),
        effectRunner(fetchSide, onFetch.httpApiWithPolicy)
      )
    }
    return Object.entries(results).map(([name, { ours, peer }]) =>
      entry(name, ours, peer, "requests/s", { note: `${notes[name]}; ${slices(timing)}` })
    )
  } finally {
    await fetchSide.dispose()
    await undiciSide.dispose()
    await server.close()
  }
}

const slices = (timing: Timing) =>
  `loopback node:http, ${timing.pairs} alternating ${timing.sliceMs} ms slices per side`

const notes: Readonly<Record<string, string>> = {
  "client-vs-fetch-sequential": "AccountsClient.layer vs fetch + JSON.parse",
  "client-vs-fetch-concurrent": `${CONCURRENCY} in flight`,
  "client-undici-vs-fetch-sequential": "NodeHttpClient.layerUndici vs fetch + JSON.parse",
  "client-undici-vs-fetch-concurrent": `NodeHttpClient.layerUndici, ${CONCURRENCY} in flight`,
  "client-undici-vs-platform-undici-sequential":
    "peer: HttpClient.execute + text + AccountDecoder under Effect.timeoutFail, same transport",
  "client-vs-httpapiclient": "peer: HttpApiClient.make(AccountsApi.PostpressApi) on FetchHttpClient.layer",
  "client-undici-vs-httpapiclient-undici":
    "peer: HttpApiClient.make(AccountsApi.PostpressApi) on NodeHttpClient.layerUndici",
  "client-vs-httpapiclient-timeout-retry":
    "peer: HttpApiClient on FetchHttpClient.layer under the client's per-attempt Effect.timeoutFail and Effect.retry(RetryPolicy.schedule)"
}
