/**
 * `mock-vs-node-http` (part of `pnpm bench`): requests per second of the mock
 * server for `GET /v1/accounts/{id}` with a valid key, side by side with a
 * bare `node:http` server answering every request with the same precomputed
 * JSON body. Both on 127.0.0.1, driven by the same in-process `node:http`
 * keep-alive client with 64 requests in flight, measured in alternating
 * rounds (median of each side) so machine noise hits both alike.
 *
 * `mock-coverage-vs-node-http` is the same with consumer-side coverage on
 * (`coverage: true`, what `postpress mock --coverage FILE` runs), and
 * `mock-coverage-vs-mock` compares the two mocks directly: the median of the
 * ratios of many short pairs (each pair runs both, in alternating order), so
 * the recording's cost is not drowned by drift between rounds. On a shared,
 * loaded machine wall-clock rounds swing by tens of percent, so
 * `mock-coverage-vs-mock-cpu` also compares the process CPU time per request
 * (client and server together, same client on both sides; lower is better),
 * which other processes hardly move. The recorded
 * request count is checked against what was sent, so the number is for a
 * mock that did record. `mock-coverage-recorder` times the recorder alone
 * (what a served account costs it: one map lookup and three counters), in
 * nanoseconds per call, to show the O(1) cost that the noisy rounds blur.
 *
 * The client runs in the same process, as it does in the repo's own tests,
 * so its cost is part of every side. Bounded: about 30–60 s on a loaded 2-core machine.
 *
 * Targets: mock ÷ node:http ≥ 0.7; with coverage ÷ without ≥ 0.95.
 * `--smoke`: every count cut to a few hundred requests (two pairs).
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { AccountsApi } from "@postpress/schema"
import { type BenchEntry, type BenchOptions, entry, sized } from "../../../scripts/bench-entry.js"
import { load, median } from "../../../scripts/bench-load.js"
import { makeRecorder } from "../src/internal/mock/coverage.js"
import { makeWorkspaces } from "../src/internal/mock/fixtures.js"
import { startMockServer } from "../src/MockServer.js"

const IN_FLIGHT = 64

/** How much is sent: measuring, or proving the bench still runs (`--smoke`). */
const sizes = (options: BenchOptions) =>
  sized(
    options,
    // Rounds against bare `node:http` (mock, mock with coverage, bare, in turn); short alternating
    // pairs (mock, mock with coverage) so load from other processes hits both alike.
    { perRound: 5_000, rounds: 3, perPair: 1_500, pairs: 20, recorderCalls: 2_000_000, warmup: 2_000 },
    { perRound: 200, rounds: 1, perPair: 100, pairs: 2, recorderCalls: 10_000, warmup: 100 }
  )

/** min / lower quartile / median / upper quartile / max, for a note. */
const spread = (xs: ReadonlyArray<number>, digits: number): string => {
  const sorted = [...xs].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.round(q * (sorted.length - 1))]!.toFixed(digits)
  return `${at(0)} / ${at(0.25)} / ${at(0.5)} / ${at(0.75)} / ${at(1)}`
}

/** CPU nanoseconds per `recorder.account` call (median of three runs). */
const recorderCost = (calls: number): number => {
  const workspaces = makeWorkspaces(20261126, 2)
  const recorder = makeRecorder(workspaces)
  const id = workspaces[0]!.accounts[1]!.id
  const target = `/v1/accounts/${id}`
  const runs: Array<number> = []
  for (let run = 0; run < 3; run++) {
    const before = process.cpuUsage()
    for (let i = 0; i < calls; i++) recorder.account(id, target, { unknownFields: false, unknownType: false })
    const cpu = process.cpuUsage(before)
    runs.push(((cpu.user + cpu.system) * 1000) / calls)
  }
  return median(runs)
}

/** The entries this module writes. */
export const entries: ReadonlyArray<string> = [
  "mock-vs-node-http",
  "mock-coverage-vs-node-http",
  "mock-coverage-vs-mock",
  "mock-coverage-vs-mock-cpu",
  "mock-coverage-recorder"
]

export default async (options: BenchOptions): Promise<ReadonlyArray<BenchEntry>> => {
  const size = sizes(options)
  const mock = await startMockServer({ seed: 20261126 })
  const recording = await startMockServer({ seed: 20261126, coverage: true })
  const ws = mock.workspaces[0]!
  const path = `/v1/accounts/${ws.accountIds[1]}`
  const headers = { [AccountsApi.apiKeyHeader]: ws.apiKey }
  const body = Buffer.from(await (await fetch(`${mock.url}${path}`, { headers })).arrayBuffer())
  const bare = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length })
    res.end(body)
  })
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve))
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`
  try {
    await load(mock.url, path, headers, size.warmup, IN_FLIGHT)
    await load(recording.url, path, headers, size.warmup, IN_FLIGHT)
    await load(bareUrl, path, headers, size.warmup, IN_FLIGHT)
    const ours: Array<number> = []
    const withCoverage: Array<number> = []
    const peer: Array<number> = []
    for (let round = 0; round < size.rounds; round++) {
      ours.push(await load(mock.url, path, headers, size.perRound, IN_FLIGHT))
      withCoverage.push(await load(recording.url, path, headers, size.perRound, IN_FLIGHT))
      peer.push(await load(bareUrl, path, headers, size.perRound, IN_FLIGHT))
    }
    /** Requests per second and process CPU microseconds per request of one short round. */
    const measured = async (url: string) => {
      const before = process.cpuUsage()
      const rate = await load(url, path, headers, size.perPair, IN_FLIGHT)
      const cpu = process.cpuUsage(before)
      return { rate, cpuMicros: (cpu.user + cpu.system) / size.perPair }
    }
    const pairRates = { plain: [] as Array<number>, recorded: [] as Array<number> }
    const rateRatios: Array<number> = []
    const cpuPlain: Array<number> = []
    const cpuRecorded: Array<number> = []
    const cpuRatios: Array<number> = []
    for (let pair = 0; pair < size.pairs; pair++) {
      // Alternate which mock goes first, so neither always runs on a warmer or cooler machine.
      const [first, second] = pair % 2 === 0 ? [mock, recording] : [recording, mock]
      const a = await measured(first.url)
      const b = await measured(second.url)
      const [plain, recorded] = first === mock ? [a, b] : [b, a]
      pairRates.plain.push(plain.rate)
      pairRates.recorded.push(recorded.rate)
      rateRatios.push(recorded.rate / plain.rate)
      cpuPlain.push(plain.cpuMicros)
      cpuRecorded.push(recorded.cpuMicros)
      cpuRatios.push(plain.cpuMicros / recorded.cpuMicros)
    }
    const counted = (await recording.coverage()).seen.requests
    const sent = size.warmup + size.rounds * size.perRound + size.pairs * size.perPair
    if (counted !== sent) throw new Error(`bench: the recording mock counted ${counted} requests, ${sent} were sent`)
    const note = `GET account, 64 in flight, loopback, median of ${size.rounds} rounds of ${size.perRound}`
    return [
      entry("mock-vs-node-http", median(ours), median(peer), "req/s", { note: `${note}; target ≥ 0.7` }),
      entry("mock-coverage-vs-node-http", median(withCoverage), median(peer), "req/s", {
        note: `${note}, coverage: true; target ≥ 0.7`
      }),
      {
        name: "mock-coverage-vs-mock",
        ours: median(pairRates.recorded),
        peer: median(pairRates.plain),
        unit: "req/s",
        ratio: median(rateRatios),
        note: `coverage on ÷ off, median of ${size.pairs} alternating pairs of ${size.perPair} (ratios min/q1/median/q3/max: ${spread(rateRatios, 3)}); target ≥ 0.95`
      },
      {
        name: "mock-coverage-vs-mock-cpu",
        ours: median(cpuRecorded),
        peer: median(cpuPlain),
        unit: "µs CPU/req",
        ratio: median(cpuRatios),
        note: `process CPU per request (client included), off ÷ on, median of the same ${size.pairs} pairs (ratios: ${spread(cpuRatios, 3)}); target ≥ 0.95`
      },
      {
        name: "mock-coverage-recorder",
        ours: recorderCost(size.recorderCalls),
        peer: null,
        unit: "ns CPU/served account",
        ratio: null,
        note: `the recorder alone, ${size.recorderCalls} calls, median of 3; compare with the mock's CPU per request (${median(cpuPlain).toFixed(0)} µs)`
      }
    ]
  } finally {
    bare.closeAllConnections()
    bare.close()
    await Promise.all([mock.stop(), recording.stop()])
  }
}
