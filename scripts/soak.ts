/**
 * `pnpm soak`: the mock server under sustained load, outside the unit run.
 *
 * Two identical runs of `--requests` (default 10,000) requests with 64 in
 * flight over loopback, through the contract suite's own Node transport, to
 * an embedded mock on 127.0.0.1. Every answer must be the expected status
 * with a body that decodes (an `Account` with the requested id, or that
 * status's error envelope), no request may fail at the transport, and the
 * heap after the second run must end within 10% of the first (plus a 1 MiB
 * floor for a small heap's noise): retained per-request state shows up as
 * growth, since the first run already warmed every code path.
 *
 * Bounded: the whole soak stops itself after `--max-seconds` (default 300).
 * Prints one summary line per run and a verdict; exits 0 when every
 * condition holds, 1 otherwise.
 *
 * Memory method: `global.gc` comes from turning the V8 flag on at runtime and
 * taking `gc` from a fresh context, so the script needs no node flag.
 */

import { parseArgs } from "node:util"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { ContractTransport, layerNode } from "@postpress/contract-tests/ContractTransport"
import { Account, AccountsApi, ErrorEnvelope } from "@postpress/schema"
import { MockServer, layer as mockLayer } from "@postpress/testkit/MockServer"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "10000" },
    "in-flight": { type: "string", default: "64" },
    "max-seconds": { type: "string", default: "300" }
  }
})
const count = (name: string, raw: string): number => {
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 1) {
    process.stderr.write(`soak: --${name} must be a positive integer, got ${JSON.stringify(raw)}\n`)
    process.exit(2)
  }
  return n
}
const requests = count("requests", values.requests)
const inFlight = count("in-flight", values["in-flight"])
const maxSeconds = count("max-seconds", values["max-seconds"])

const isAccount = Schema.is(Account.Account)

interface Case {
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly status: number
  readonly id?: string
}

interface Outcome {
  transportErrors: number
  readonly mismatches: Array<string>
}

const heapMiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`

const settledHeap = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

const soak = Effect.gen(function* () {
  const mock = yield* MockServer
  const transport = yield* ContractTransport
  const [own, foreign] = mock.workspaces
  if (own === undefined || foreign === undefined) return yield* Effect.dieMessage("the mock needs two workspaces")
  const auth = { [AccountsApi.apiKeyHeader]: own.apiKey }
  const cases: ReadonlyArray<Case> = [
    ...own.accountIds.map((id) => ({ path: `/v1/accounts/${encodeURIComponent(id)}`, headers: auth, status: 200, id })),
    { path: `/v1/accounts/${encodeURIComponent(foreign.accountIds[0]!)}`, headers: auth, status: 404 },
    { path: "/v1/accounts/acc_unknown", headers: auth, status: 404 },
    { path: `/v1/accounts/${encodeURIComponent(own.accountIds[0]!)}`, headers: {}, status: 401 },
    {
      path: `/v1/accounts/${encodeURIComponent(own.accountIds[0]!)}`,
      headers: { [AccountsApi.apiKeyHeader]: "pp_wrong" },
      status: 401
    },
    { path: "/v1/accounts/%ZZ", headers: auth, status: 400 }
  ]

  const one = (c: Case, outcome: Outcome) =>
    transport.send({ method: "GET", origin: mock.url, path: c.path, headers: c.headers }).pipe(
      Effect.match({
        onFailure: () => {
          outcome.transportErrors++
        },
        onSuccess: (res) => {
          let ok = false
          try {
            const body: unknown = JSON.parse(res.body)
            ok =
              res.status === c.status &&
              /^application\/json\b/.test(res.headers["content-type"] ?? "") &&
              (res.status === 200
                ? isAccount(body) && body.id === c.id
                : ErrorEnvelope.decodeResponse(res.status, body)._tag === "Documented")
          } catch {
            ok = false
          }
          if (!ok && outcome.mismatches.length < 5) outcome.mismatches.push(`${c.path} → ${res.status}`)
        }
      })
    )

  const run = (label: string) =>
    Effect.gen(function* () {
      const outcome: Outcome = { transportErrors: 0, mismatches: [] }
      const [took] = yield* Effect.timed(
        Effect.forEach(
          Array.from({ length: requests }, (_, i) => cases[i % cases.length]!),
          (c) => one(c, outcome),
          { concurrency: inFlight, discard: true }
        )
      )
      const heap = settledHeap()
      const seconds = Duration.toMillis(took) / 1000
      yield* Console.log(
        `soak ${label}: ${requests} requests, ${inFlight} in flight, ${Math.round(requests / seconds)} req/s, ` +
          `${outcome.transportErrors} transport errors, ${outcome.mismatches.length} mismatches, heap ${heapMiB(heap)}`
      )
      for (const mismatch of outcome.mismatches) yield* Console.log(`  mismatch: ${mismatch}`)
      return { outcome, heap }
    })

  const first = yield* run("run 1")
  const second = yield* run("run 2")
  const limit = Math.max(first.heap * 1.1, first.heap + 2 ** 20)
  const problems = [
    ...[first, second].flatMap(({ outcome }, i) => [
      ...(outcome.transportErrors > 0 ? [`run ${i + 1}: ${outcome.transportErrors} transport errors`] : []),
      ...(outcome.mismatches.length > 0 ? [`run ${i + 1}: answers that do not match the contract`] : [])
    ]),
    ...(second.heap > limit ? [`heap grew from ${heapMiB(first.heap)} to ${heapMiB(second.heap)}`] : [])
  ]
  if (problems.length > 0) return yield* Effect.fail(new Error(problems.join("; ")))
  yield* Console.log(`soak: ok (heap ${heapMiB(first.heap)} → ${heapMiB(second.heap)}, limit ${heapMiB(limit)})`)
})

soak.pipe(
  Effect.provide(mockLayer({ seed: 21 })),
  Effect.provide(NodeFileSystem.layer),
  Effect.provide(layerNode),
  Effect.timeoutFail({
    duration: Duration.seconds(maxSeconds),
    onTimeout: () => new Error(`did not finish within ${maxSeconds} s`)
  }),
  Effect.tapError((error) => Console.error(`soak: FAILED: ${error.message}`)),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
