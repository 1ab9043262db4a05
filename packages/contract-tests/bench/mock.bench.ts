/**
 * `mock-vs-node-http` (part of `pnpm bench`): requests per second of the mock
 * server for `GET /v1/accounts/{id}` with a valid key, side by side with a
 * bare `node:http` server answering every request with the same precomputed
 * JSON body. Both on 127.0.0.1, driven by the same in-process `node:http`
 * keep-alive client with 64 requests in flight, measured in alternating
 * rounds (median of each side) so machine noise hits both alike.
 *
 * The client runs in the same process, as it does in the repo's own tests,
 * so its cost is part of both sides. Bounded: about 10–20 s.
 *
 * Target ratio ≥ 0.7.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { AccountsApi } from "@postpress/schema"
import { type BenchEntry, entry } from "../../../scripts/bench-entry.js"
import { startMockServer } from "../src/MockServer.js"
import { load, median } from "./load.js"

const IN_FLIGHT = 64
const PER_ROUND = 6_000
const ROUNDS = 3
const WARMUP = 2_000

export default async (): Promise<ReadonlyArray<BenchEntry>> => {
  const mock = await startMockServer({ seed: 20261126 })
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
    await load(mock.url, path, headers, WARMUP, IN_FLIGHT)
    await load(bareUrl, path, headers, WARMUP, IN_FLIGHT)
    const ours: Array<number> = []
    const peer: Array<number> = []
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await load(mock.url, path, headers, PER_ROUND, IN_FLIGHT))
      peer.push(await load(bareUrl, path, headers, PER_ROUND, IN_FLIGHT))
    }
    return [
      entry("mock-vs-node-http", median(ours), median(peer), "req/s", {
        note: `GET account, 64 in flight, loopback, median of ${ROUNDS} alternating rounds of ${PER_ROUND}; target ≥ 0.7`
      })
    ]
  } finally {
    bare.closeAllConnections()
    bare.close()
    await mock.stop()
  }
}
