/**
 * `proxy-vs-direct` (part of `pnpm bench`): requests per second of
 * `GET /v1/accounts/{id}` through the validating proxy (forwarding, judging
 * every exchange) ÷ the same requests sent straight to the mock, 32 in
 * flight, keep-alive, 127.0.0.1, alternating rounds (median of each side).
 * The proxy runs as users run it: `postpress contract proxy` in its own
 * process (from source, through tsx); the mock and the load client share
 * this process on both sides. Target ratio ≥ 0.6.
 *
 * `proxy-vs-direct-in-process`: the same with the proxy in THIS process too
 * (`ContractProxy.make`), so its work competes with the mock's and the
 * client's for one thread: a lower bound, reported for honesty.
 *
 * `proxy-soak-rss`: resident memory growth of the proxy process over 10,000
 * more requests after the measured rounds, in MB; no peer.
 *
 * `proxy-metrics-vs-proxy`: the proxy with its metrics on (`--metrics-port`,
 * scraped every 250 ms, and OTLP push every 100 ms to an endpoint that
 * accepts and never answers) ÷ the same proxy without metrics, alternating
 * rounds. Target ratio ≥ 0.9: exports never hold an exchange.
 *
 * `--smoke`: a few hundred requests per round, one round, 500 soak requests.
 */
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { AccountsApi } from "@postpress/schema"
import { startMockServer } from "@postpress/testkit/MockServer"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { type BenchEntry, type BenchOptions, entry, sized } from "../../../scripts/bench-entry.js"
import { load, median } from "../../../scripts/bench-load.js"
import * as ContractProxy from "../src/ContractProxy.js"

/** Runs an effect with the Node file system (the proxy and HAR reader read and write through it). */
const runPromise = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer))

const IN_FLIGHT = 32

/** How much is sent: measuring, or proving the bench still runs (`--smoke`). */
interface Sizes {
  readonly perRound: number
  readonly rounds: number
  readonly warmup: number
  readonly soak: number
}

const root = join(import.meta.dirname, "..", "..", "..")

/** `postpress contract proxy --target URL` as a child process; resolves once it printed its URL. */
const spawnProxy = (target: string, args: ReadonlyArray<string> = [], env: Record<string, string> = {}) =>
  new Promise<{
    readonly url: string
    readonly pid: number
    readonly stderr: () => string
    readonly stop: () => Promise<void>
  }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@postpress/source",
        join(root, "packages/cli/src/bin.ts"),
        "contract",
        "proxy",
        "--target",
        target,
        ...args
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } }
    )
    let err = ""
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      const nl = out.indexOf("\n")
      if (nl !== -1 && child.pid !== undefined) {
        const { url } = JSON.parse(out.slice(0, nl)) as { url: string }
        resolve({
          url,
          pid: child.pid,
          stderr: () => err,
          stop: () => {
            child.kill("SIGTERM")
            return exited
          }
        })
      }
    })
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.once("exit", (code) => reject(new Error(`the proxy exited (${code}) before listening`)))
  })

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"))
  return line === undefined ? Number.NaN : Number(line.replace(/\D+/g, "")) / 1024
}

const measure = async (
  sizes: Sizes,
  proxyUrl: string,
  directUrl: string,
  path: string,
  headers: Record<string, string>
) => {
  await load(directUrl, path, headers, sizes.warmup, IN_FLIGHT)
  await load(proxyUrl, path, headers, sizes.warmup, IN_FLIGHT)
  const ours: Array<number> = []
  const peer: Array<number> = []
  for (let round = 0; round < sizes.rounds; round++) {
    ours.push(await load(proxyUrl, path, headers, sizes.perRound, IN_FLIGHT))
    peer.push(await load(directUrl, path, headers, sizes.perRound, IN_FLIGHT))
  }
  return { ours: median(ours), peer: median(peer) }
}

/** The entries this module writes. */
export const entries: ReadonlyArray<string> = [
  "proxy-vs-direct",
  "proxy-vs-direct-in-process",
  "proxy-soak-rss",
  "proxy-metrics-vs-proxy"
]

/** An OTLP endpoint that takes every request and never answers. */
const hangingEndpoint = async () => {
  const server = Http.createServer(() => {})
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

/** The proxy with metrics pulled and pushed (to a hanging endpoint) vs the same proxy without. */
// Both proxies are started fresh, side by side: the same warm-up, the same age.
const metricsVsPlain = async (sizes: Sizes, target: string, path: string, headers: Record<string, string>) => {
  const endpoint = await hangingEndpoint()
  const plain = await spawnProxy(target)
  const withMetrics = await spawnProxy(target, ["--metrics-port", "0"], {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint.url,
    OTEL_METRIC_EXPORT_INTERVAL: "100"
  })
  let scraping = true
  try {
    // stderr and stdout are separate pipes: the line naming the URL may arrive after the listening one.
    let metricsUrl: string | undefined
    for (let tries = 0; metricsUrl === undefined; tries++) {
      if (tries > 100) throw new Error("the proxy did not name its metrics URL")
      metricsUrl = /metrics at (\S+)/.exec(withMetrics.stderr())?.[1]
      if (metricsUrl === undefined) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const scrapeUrl = metricsUrl
    const scraper = (async () => {
      while (scraping) {
        await (await fetch(scrapeUrl)).text()
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    })()
    const measured = await measure(sizes, withMetrics.url, plain.url, path, headers)
    scraping = false
    await scraper
    return measured
  } finally {
    scraping = false
    await withMetrics.stop()
    await plain.stop()
    await endpoint.stop()
  }
}

export default async (options: BenchOptions): Promise<ReadonlyArray<BenchEntry>> => {
  const sizes: Sizes = sized(
    options,
    { perRound: 4_000, rounds: 3, warmup: 1_500, soak: 10_000 },
    { perRound: 200, rounds: 1, warmup: 100, soak: 500 }
  )
  const mock = await startMockServer({ seed: 20261129 })
  const ws = mock.workspaces[0]!
  const path = `/v1/accounts/${encodeURIComponent(ws.accountIds[1]!)}`
  const headers = { [AccountsApi.apiKeyHeader]: ws.apiKey }
  const scope = Effect.runSync(Scope.make())
  const child = await spawnProxy(mock.url)
  try {
    const apart = await measure(sizes, child.url, mock.url, path, headers)
    const before = rssMb(child.pid)
    await load(child.url, path, headers, sizes.soak, IN_FLIGHT)
    const growth = rssMb(child.pid) - before
    const metrics = await metricsVsPlain(sizes, mock.url, path, headers)
    const inProcess = await runPromise(Scope.extend(ContractProxy.make({ target: mock.url }), scope))
    const together = await measure(sizes, inProcess.url, mock.url, path, headers)
    const note = `${IN_FLIGHT} in flight, loopback, median of ${sizes.rounds} alternating rounds of ${sizes.perRound}`
    return [
      entry("proxy-vs-direct", apart.ours, apart.peer, "req/s", {
        note: `GET account through \`postpress contract proxy\` (own process, judging every exchange) vs straight to the mock, ${note}; target ≥ 0.6`
      }),
      entry("proxy-vs-direct-in-process", together.ours, together.peer, "req/s", {
        note: `the same with the proxy in the mock's and the client's process (one thread for all three), ${note}`
      }),
      entry("proxy-metrics-vs-proxy", metrics.ours, metrics.peer, "req/s", {
        note: `\`postpress contract proxy\` with --metrics-port (scraped every 250 ms) and OTLP push every 100 ms to an endpoint that never answers vs the same proxy without metrics (both started fresh), ${note}; target ≥ 0.9`
      }),
      {
        name: "proxy-soak-rss",
        ours: Math.round(growth * 10) / 10,
        peer: null,
        unit: "MB RSS growth",
        ratio: null,
        note: `proxy process RSS before/after ${sizes.soak} more judged requests (after ${2 * sizes.warmup + sizes.rounds * sizes.perRound} already)`
      }
    ]
  } finally {
    await child.stop()
    await runPromise(Scope.close(scope, Exit.void))
    await mock.stop()
  }
}
