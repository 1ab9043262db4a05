/**
 * The validating proxy in front of the self-test's broken servers: every
 * mutant that ONE exchange can reveal is flagged (under its check or an
 * overlapping one); the correct controls are not. Mutants that only a
 * chosen request can reveal (a wrong key the server accepts, an unknown id it
 * serves, another workspace's account) are out of reach of passive traffic:
 * the proxy cannot know a key is wrong or an id foreign.
 */

import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { startMockServer } from "@postpress/testkit/MockServer"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { CheckName } from "../src/ContractCheck.js"
import * as ContractProxy from "../src/ContractProxy.js"
import { broken, controls } from "./broken-servers/Mutations.js"
import { type Fixtures, type MutatingProxy, type Mutation, startProxy } from "./broken-servers/Proxy.js"
import { send } from "./proxy-support.js"

/** Runs an effect with the Node file system (the proxy and HAR reader read and write through it). */
const runPromise = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer))

/**
 * Need a request chosen with knowledge the traffic does not carry (which key
 * is wrong, which id unknown or foreign), or are not an account exchange at
 * all (an extra path segment).
 */
const outOfReach = new Set([
  "any-key-accepted",
  "broken-isolation",
  "foreign-as-401",
  "unknown-ids-200",
  "key-prefix-accepted",
  "key-startswith",
  "key-case-insensitive",
  "key-trimmed",
  "header-name-case-sensitive",
  "prefix-routing"
])

/** The checks one exchange can fail. */
const judgeable = new Set<CheckName>([
  "response_schema",
  "error_envelope",
  "status_code",
  "content_type",
  "not_a_server_error",
  "key_not_reflected",
  "known_accounts",
  "missing_credentials"
])

let mock: Awaited<ReturnType<typeof startMockServer>>
let mutating: MutatingProxy
let fixtures: Fixtures

beforeAll(async () => {
  mock = await startMockServer({ seed: 7 })
  const [own, foreign] = mock.workspaces
  const first = own!.accountIds[0]!
  const res = await fetch(`${mock.url}/v1/accounts/${encodeURIComponent(first)}`, {
    headers: { "X-API-KEY": own!.apiKey }
  })
  fixtures = {
    upstream: mock.url,
    apiKey: own!.apiKey,
    ownIds: own!.accountIds,
    foreignKey: foreign!.apiKey,
    foreignIds: foreign!.accountIds,
    sampleAccount: (await res.json()) as Record<string, unknown>
  }
  mutating = await startProxy(fixtures)
})

afterAll(async () => {
  await mutating?.stop()
  await mock?.stop()
})

/**
 * Everyday traffic: known ids, no key, a wrong key, an unknown id, an odd id,
 * a foreign id; and a few odd but plausible ones: `;` in an id, a `%25`
 * escape, a key in the query instead of the header.
 */
const traffic = async (url: string) => {
  const key = { "X-API-KEY": fixtures.apiKey }
  const own = fixtures.ownIds[0]!
  const escapedTwice = `%25${own.charCodeAt(0).toString(16)}${encodeURIComponent(own.slice(1))}`
  const paths: Array<[string, Record<string, string>]> = [
    [`/v1/accounts/${encodeURIComponent(own)};x`, key],
    [`/v1/accounts/${escapedTwice}`, key],
    [`/v1/accounts/${encodeURIComponent(own)}?api_key=${encodeURIComponent(fixtures.apiKey)}`, {}],
    [`/v1/accounts/${encodeURIComponent(fixtures.ownIds[0]!)}`, key],
    [`/v1/accounts/${encodeURIComponent(fixtures.ownIds[1]!)}`, key],
    [`/v1/accounts/${encodeURIComponent(fixtures.ownIds[0]!)}`, {}],
    [`/v1/accounts/${encodeURIComponent(fixtures.ownIds[0]!)}`, { "X-API-KEY": "pp_live_wrong_key_0000000" }],
    ["/v1/accounts/acc_01UNKNOWN0000000000000000", key],
    [`/v1/accounts/${encodeURIComponent("odd id/with%")}`, key],
    [`/v1/accounts/${encodeURIComponent(fixtures.foreignIds[0]!)}`, key]
  ]
  for (const [path, headers] of paths) await send(url, path, { headers })
}

const judgeThrough = (mutation: Mutation) => {
  mutating.use(mutation)
  return runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* ContractProxy.make({ target: mutating.url })
        yield* Effect.promise(() => traffic(proxy.url))
        return yield* proxy.stop("2 seconds")
      })
    )
  )
}

const failed = (report: Awaited<ReturnType<typeof judgeThrough>>) =>
  report.checks.filter((c) => c.status === "fail").map((c) => c.name)

describe("proxy in front of the broken servers", () => {
  for (const mutation of broken) {
    const reachable = !outOfReach.has(mutation.name)
    it(`${mutation.name}: ${mutation.rule} → ${reachable ? "flagged" : "out of reach of one exchange"}`, async () => {
      const report = await judgeThrough(mutation)
      expect(report.traffic.judged).toBe(10)
      const allowed = [mutation.expect!, ...(mutation.also ?? [])]
      if (reachable) {
        expect(report.passed).toBe(false)
        // Under the check naming the rule when one exchange can fail it; a
        // routing mutant shows as a body.id that is not the id requested.
        if (allowed.some((c) => judgeable.has(c))) expect(failed(report).some((c) => allowed.includes(c))).toBe(true)
      } else {
        expect(report.passed).toBe(true)
      }
    })
  }

  for (const control of controls) {
    it(`control ${control.name}: ${control.rule} → not flagged`, async () => {
      const report = await judgeThrough(control)
      expect(failed(report)).toEqual([])
      if (control.name === "unknown-extra-fields") {
        expect(report.drift?.unknownFields.map((f) => f.path)).toContain("x_unknown_extra")
      }
    })
  }
})
