/**
 * Reliability under load: 10,000 requests with 64 in flight over loopback,
 * no transport error, every response matching the schemas, and no heap
 * growth between two identical runs.
 *
 * Memory method: `global.gc` is not exposed in vitest workers, so the test
 * turns the V8 flag on at runtime (`v8.setFlagsFromString("--expose-gc")`)
 * and takes `gc` from a fresh context. After each run it collects twice and
 * reads `heapUsed`; the second run must end within 10% of the first (plus a
 * 1 MiB floor so a tiny heap's noise cannot fail it). The first run also
 * warms every code path, so any retained per-request state shows up as growth.
 */
import { Agent, request } from "node:http"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { Account, AccountsApi, ErrorCatalogue, ErrorEnvelope } from "@postpress/schema"
import * as Schema from "effect/Schema"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningMockServer, startMockServer } from "../src/MockServer.js"

setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

const isAccount = Schema.is(Account.Account)
const isEnvelope = (status: number, body: unknown) =>
  ErrorCatalogue.isErrorStatus(status) &&
  Schema.is(ErrorEnvelope.envelopes[status] as unknown as Schema.Schema<ErrorEnvelope.DocumentedErrorEnvelope>)(body)

interface Case {
  readonly path: string
  readonly headers: Record<string, string>
  readonly status: number
  readonly id?: string
}

let mock: RunningMockServer
let cases: ReadonlyArray<Case>

beforeAll(async () => {
  mock = await startMockServer({ seed: 21 })
  const [own, foreign] = mock.workspaces as [RunningMockServer["workspaces"][0], RunningMockServer["workspaces"][0]]
  const auth = { [AccountsApi.apiKeyHeader]: own.apiKey }
  const mix: Array<Case> = own.accountIds.map((id) => ({ path: `/v1/accounts/${id}`, headers: auth, status: 200, id }))
  mix.push(
    { path: `/v1/accounts/${foreign.accountIds[0]}`, headers: auth, status: 404 },
    { path: "/v1/accounts/acc_unknown", headers: auth, status: 404 },
    { path: `/v1/accounts/${own.accountIds[0]}`, headers: {}, status: 401 },
    { path: `/v1/accounts/${own.accountIds[0]}`, headers: { [AccountsApi.apiKeyHeader]: "pp_wrong" }, status: 401 },
    { path: "/v1/accounts/%ZZ", headers: auth, status: 400 }
  )
  cases = mix
})
afterAll(() => mock.stop())

interface Outcome {
  transportErrors: number
  mismatches: Array<string>
}

const run = async (total: number, inFlight: number): Promise<Outcome> => {
  const { port } = new URL(mock.url)
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight })
  const outcome: Outcome = { transportErrors: 0, mismatches: [] }
  let next = 0
  const one = (c: Case) =>
    new Promise<void>((resolve) => {
      const req = request({ host: "127.0.0.1", port, path: c.path, headers: c.headers, agent }, (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (d: Buffer) => chunks.push(d))
        res.on("end", () => {
          const status = res.statusCode ?? 0
          try {
            const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"))
            const ok =
              status === c.status &&
              /^application\/json\b/.test(res.headers["content-type"] ?? "") &&
              (status === 200 ? isAccount(body) && body.id === c.id : isEnvelope(status, body))
            if (!ok && outcome.mismatches.length < 5) outcome.mismatches.push(`${c.path} → ${status}`)
          } catch {
            if (outcome.mismatches.length < 5) outcome.mismatches.push(`${c.path} → ${status}, not JSON`)
          }
          resolve()
        })
        res.on("error", () => {
          outcome.transportErrors++
          resolve()
        })
      })
      req.on("error", () => {
        outcome.transportErrors++
        resolve()
      })
      req.end()
    })
  const worker = async () => {
    while (next < total) {
      const c = cases[next++ % cases.length]!
      await one(c)
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  agent.destroy()
  return outcome
}

const settledHeap = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

describe("reliability", () => {
  it("10,000 requests, 64 in flight: no transport error, all valid, no heap growth", async () => {
    const first = await run(10_000, 64)
    const heap1 = settledHeap()
    const second = await run(10_000, 64)
    const heap2 = settledHeap()
    for (const outcome of [first, second]) {
      expect(outcome.transportErrors).toBe(0)
      expect(outcome.mismatches).toEqual([])
    }
    console.log(
      `heapUsed after run 1: ${(heap1 / 2 ** 20).toFixed(1)} MiB, after run 2: ${(heap2 / 2 ** 20).toFixed(1)} MiB`
    )
    expect(heap2).toBeLessThanOrEqual(Math.max(heap1 * 1.1, heap1 + 2 ** 20))
  }, 180_000)
})
