/**
 * Contract suite benches (part of `pnpm bench`):
 *
 * - `suite-vs-raw-loop`: checked requests per second of the suite against the
 *   embedded mock, side by side with a raw `fetch` loop sending the same
 *   requests (same paths, same headers, same concurrency) to the same mock
 *   without judging anything. Target ratio ≥ 0.5. The note also gives a raw
 *   `node:http` loop, the transport the suite itself uses, so the pure cost
 *   of checking can be read off too.
 *
 * The spawned default run is `cli-contract-default-run` (packages/cli/bench).
 *
 * Bounded: about 20 s on a quiet 2-core machine. `--smoke`: 20 runs, one round.
 */
import { AccountsApi } from "@postpress/schema"
import { startMockServer } from "@postpress/testkit/MockServer"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { type BenchEntry, type BenchOptions, entry, sized } from "../../../scripts/bench-entry.js"
import { median } from "../../../scripts/bench-load.js"
import { runContract } from "../src/Contract.js"
import { configFor } from "../src/ContractMock.js"
import { ContractTransport, layerNode } from "../src/ContractTransport.js"
import * as Request from "../src/internal/sources/suite/request.js"
import { scenarios } from "../src/internal/sources/suite/scenarios.js"

const SEED = 20261126
const CONCURRENCY = 8

/** Sends `requests` with `concurrency` workers; returns requests per second. */
const loop = async (
  requests: ReadonlyArray<{ readonly path: string; readonly headers: Record<string, string> }>,
  send: (path: string, headers: Record<string, string>) => Promise<unknown>
): Promise<number> => {
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const request = requests[next++]!
        await send(request.path, request.headers)
      }
    })
  )
  return requests.length / ((performance.now() - started) / 1000)
}

/** The entries this module writes. */
export const entries: ReadonlyArray<string> = ["suite-vs-raw-loop"]

export default async (options: BenchOptions): Promise<ReadonlyArray<BenchEntry>> => {
  const runs = sized(options, 400, 20)
  const rounds = sized(options, 3, 1)
  const mock = await startMockServer({ seed: SEED })
  try {
    const config = { ...configFor(mock), seed: SEED, runs, concurrency: CONCURRENCY }
    const target = Request.makeTarget(mock.url)!
    const apiKey = String(config.apiKey)
    // The suite's own requests: the same inputs, sampled from the same seed.
    const requests = scenarios({
      accountIds: config.accountIds ?? [],
      foreignAccountIds: config.foreignAccountIds ?? [],
      seed: SEED,
      runs,
      isSendable: Request.isSendable
    }).flatMap((scenario) =>
      scenario.probes.map((probe) => ({
        path: Request.pathFor(target, probe.id),
        headers: {
          accept: "application/json",
          ...(probe.credentials === "missing"
            ? {}
            : { [AccountsApi.apiKeyHeader]: probe.credentials === "valid" ? apiKey : "pp_live_wrong" })
        }
      }))
    )
    const viaFetch = (path: string, headers: Record<string, string>) =>
      fetch(`${target.base.origin}${path}`, { headers }).then((res) => res.arrayBuffer())
    const transport = ManagedRuntime.make(layerNode)
    const viaHttp = (path: string, headers: Record<string, string>) =>
      transport.runPromise(
        Effect.either(
          Effect.flatMap(ContractTransport, (t) => t.send({ method: "GET", origin: target.base.origin, path, headers }))
        )
      )

    const suite: Array<number> = []
    const rawFetch: Array<number> = []
    const rawHttp: Array<number> = []
    await loop(requests.slice(0, sized(options, 200, 20)), viaFetch) // warm-up (JIT, sockets)
    for (let round = 0; round < rounds; round++) {
      const report = await Effect.runPromise(runContract(config))
      if (!report.passed) throw new Error("the default configuration must pass against the mock")
      suite.push(report.requests / (report.durationMs / 1000))
      rawFetch.push(await loop(requests, viaFetch))
      rawHttp.push(await loop(requests, viaHttp))
    }
    await transport.dispose()

    return [
      entry("suite-vs-raw-loop", median(suite), median(rawFetch), "req/s", {
        note: `${requests.length} requests/round, ${CONCURRENCY} in flight, median of ${rounds}; raw node:http loop ${Math.round(median(rawHttp))} req/s`
      })
    ]
  } finally {
    await mock.stop()
  }
}
