/**
 * The security checks: the pure probe builders and judges, the embedded mock
 * passing every security check, group selection, and key hygiene (neither
 * the key nor any near-miss variant nor a run of six of its characters ever
 * reaches a report).
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { describe, expect, expectTypeOf, it } from "vitest"
import { type ContractConfig, reportOf, runContract, events as suiteEvents } from "../src/Contract.js"
import { type CheckSelector, checkNames, checksOf, descriptions, groupOf, select } from "../src/ContractCheck.js"
import { toJunitXml } from "../src/ContractJunit.js"
import { runAgainstMock } from "../src/ContractMock.js"
import { type ContractReport, failedChecks, formatHuman, toJson } from "../src/ContractReport.js"
import { layerNode } from "../src/ContractTransport.js"
import { redact } from "../src/internal/judge/validate.js"
import {
  confusedPaths,
  headerNameVariants,
  judgeConfusedPath,
  judgeHeaderName,
  judgeKeyInQuery,
  judgeNearMiss,
  keyQuery,
  nearMissKeys
} from "../src/internal/sources/suite/security.js"
import { startTinyServer } from "./broken-servers/TinyServer.js"
import { stoppedAfterEach } from "./support/loopback.js"

const KEY = "Qx7vKeyCanaryZ3w9mLp2"

describe("nearMissKeys", () => {
  it("derives each kind of near miss, none equal to the key, kinds free of key characters", () => {
    const plan = nearMissKeys(KEY)
    if (plan._tag !== "Run") throw new Error("expected variants")
    const byKind = new Map(plan.variants.map((v) => [v.kind, v.key]))
    expect(byKind.get("key cut short by 1 character")).toBe(KEY.slice(0, -1))
    expect(byKind.get(`key cut short by ${KEY.length - Math.floor(KEY.length / 2)} characters`)).toBe(
      KEY.slice(0, Math.floor(KEY.length / 2))
    )
    expect(byKind.get("key with one character appended")).toBe(`${KEY}x`)
    expect(byKind.get("key with the case of every letter swapped")).toBe("qX7VkEYcANARYz3W9MlP2")
    expect(byKind.get("key with the case of one letter changed")).toBe("Qx7vKeyCanaryZ3w9mlp2".replace("mlp2", "mLP2"))
    expect(byKind.get("key wrapped in no-break spaces (U+00A0)")).toBe(`\u00A0${KEY}\u00A0`)
    expect(plan.note).toBeUndefined()
    for (const variant of plan.variants) {
      expect(variant.key).not.toBe(KEY)
      expect(variant.kind.toLowerCase()).not.toContain(KEY.slice(0, 4).toLowerCase())
    }
    expect(new Set(plan.variants.map((v) => v.key)).size).toBe(plan.variants.length)
  })

  it("skips keys shorter than 8 characters and leaves out case variants for keys without letters", () => {
    const short = nearMissKeys("abc1234")
    expect(short._tag).toBe("Skip")
    expect(short._tag === "Skip" && short.reason).toContain("shorter than 8")
    const digits = nearMissKeys("1234567890")
    if (digits._tag !== "Run") throw new Error("expected variants")
    expect(digits.note).toContain("no letters")
    expect(digits.variants.map((v) => v.kind).filter((k) => k.includes("case"))).toEqual([])
    expect(digits.variants.length).toBe(4)
    const appendX = nearMissKeys("12345678x")
    expect(appendX._tag === "Run" && appendX.variants.find((v) => v.kind.includes("appended"))?.key).toBe("12345678xy")
  })

  it("one letter: the two case variants coincide, so only one is sent", () => {
    const plan = nearMissKeys("1234567a")
    if (plan._tag !== "Run") throw new Error("expected variants")
    expect(plan.variants.filter((v) => v.kind.includes("case")).map((v) => v.key)).toEqual(["1234567A"])
  })
})

describe("confusedPaths", () => {
  it("extra segment, trailing slash, ;param and the id encoded twice", () => {
    const paths = confusedPaths("acc%2F1", "acc/1")
    expect(paths.map((p) => p.segment)).toEqual(["acc%2F1/x", "acc%2F1/", "acc%2F1;param", "%2561%2563%2563%252F%2531"])
    // one decoding gives another id; only a second decoding gives the account back
    const twice = paths[3]!.segment
    expect(decodeURIComponent(twice)).toBe("%61%63%63%2F%31")
    expect(decodeURIComponent(decodeURIComponent(twice))).toBe("acc/1")
  })
})

describe("credential placement inputs", () => {
  it("header name variants differ from the contract's spelling", () => {
    expect(headerNameVariants("X-API-KEY")).toEqual(["x-api-key", "X-Api-Key"])
  })

  it("the key in a query string is shown as ***", () => {
    const q = keyQuery("api_key", "k y&")
    expect(q.sent).toBe("?api_key=k%20y%26")
    expect(q.shown).toBe("?api_key=***")
  })
})

describe("judges", () => {
  const envelope = (status: number, type: string) => ({ title: "x", status, type })

  it("near misses: 401 with a 401-tier type passes; a 200 is a bypass", () => {
    expect(judgeNearMiss("k", 401, envelope(401, "errors/invalid_credentials"))).toBeUndefined()
    expect(judgeNearMiss("k", 200, {})?.message).toContain("authentication bypass")
    expect(judgeNearMiss("k", 401, envelope(401, "errors/resource_not_found"))?.issues?.[0]).toContain("type:")
    expect(judgeNearMiss("k", 404, envelope(404, "errors/resource_not_found"))?.message).toContain("expected 401")
    // a front proxy refusing the non-ASCII header byte is a refusal too; for the other variants a 400 is not
    const wrapped = "key wrapped in no-break spaces (U+00A0)"
    expect(judgeNearMiss(wrapped, 400, envelope(400, "errors/malformed_request"))).toBeUndefined()
    expect(judgeNearMiss("key cut short by 1 character", 400, envelope(400, "errors/malformed_request"))).toBeDefined()
  })

  it("confused paths: 404 or 400 pass; serving the account fails", () => {
    expect(judgeConfusedPath("p", "acc_1", 404, envelope(404, "errors/resource_not_found"))).toBeUndefined()
    expect(judgeConfusedPath("p", "acc_1", 400, envelope(400, "errors/invalid_parameters"))).toBeUndefined()
    expect(judgeConfusedPath("p", "acc_1", 200, { id: "acc_1" })?.message).toContain("served as the account")
    expect(judgeConfusedPath("p", "acc_1", 200, { id: "x" })?.message).toContain("answered 200")
    expect(judgeConfusedPath("p", "acc_1", 401, envelope(401, "errors/invalid_credentials"))).toBeDefined()
  })

  it("query keys must answer 401 missing_credentials; other header case must answer 200", () => {
    expect(judgeKeyInQuery("api_key", 401, envelope(401, "errors/missing_credentials"))).toBeUndefined()
    expect(judgeKeyInQuery("api_key", 200, {})?.message).toContain("authenticated")
    expect(judgeKeyInQuery("api_key", 401, envelope(401, "errors/invalid_credentials"))).toBeDefined()
    expect(judgeHeaderName("x-api-key", 200, {})).toBeUndefined()
    expect(judgeHeaderName("x-api-key", 401, envelope(401, "errors/missing_credentials"))?.message).toContain(
      "case-insensitive"
    )
  })
})

describe("check groups", () => {
  it("every check has a group and a description; security holds the three probes", () => {
    expect(checksOf("security")).toEqual(["near_miss_keys", "path_confusion", "credential_placement"])
    expect([...checksOf("spec"), ...checksOf("security")].sort()).toEqual([...checkNames].sort())
    for (const name of checkNames) {
      expect(groupOf[name]).toBeDefined()
      expect(descriptions[name].length).toBeGreaterThan(10)
    }
  })

  it("checks and excludeChecks accept group names (type level)", () => {
    expectTypeOf<"security">().toMatchTypeOf<CheckSelector>()
    expectTypeOf<"spec">().toMatchTypeOf<CheckSelector>()
    expectTypeOf<"near_miss_keys">().toMatchTypeOf<CheckSelector>()
    expectTypeOf<NonNullable<ContractConfig["checks"]>>().toEqualTypeOf<ReadonlyArray<CheckSelector>>()
    expectTypeOf<NonNullable<ContractConfig["excludeChecks"]>>().toEqualTypeOf<ReadonlyArray<CheckSelector>>()
  })

  it("a group name selects or excludes all its checks", () => {
    expect([...select(["security"], undefined).selected]).toEqual(checksOf("security"))
    expect([...select(["security", "hostile_ids"], undefined).selected].sort()).toEqual(
      [...checksOf("security"), "hostile_ids"].sort()
    )
    const noSecurity = select(undefined, ["security"])
    expect([...noSecurity.selected]).toEqual(checksOf("spec"))
    expect([...noSecurity.excluded]).toEqual(checksOf("security"))
    expect(select(["spec"], ["key_not_reflected"]).selected.has("key_not_reflected")).toBe(false)
    expect(select(["securty"], undefined).unknown).toEqual(["securty"])
  })
})

const tiny = stoppedAfterEach(startTinyServer)

const run = (config: Partial<ContractConfig> & { readonly baseUrl: string; readonly apiKey: string }) =>
  Effect.runPromise(runContract({ seed: 5, runs: 5, concurrency: 2, ...config }))

const security = ["near_miss_keys", "path_confusion", "credential_placement"] as const
const statusOf = (report: ContractReport, name: string) => report.checks.find((c) => c.name === name)!

describe("the embedded mock passes every security check", () => {
  it("--checks security runs the three checks, each judging requests, and the mock passes them", async () => {
    const report = await Effect.runPromise(runAgainstMock({ seed: 7, runs: 5, checks: ["security"] }))
    expect(failedChecks(report)).toEqual([])
    for (const name of security) {
      expect(statusOf(report, name).status).toBe("pass")
      expect(statusOf(report, name).evaluated).toBeGreaterThanOrEqual(4)
    }
    expect(report.checks.filter((c) => c.status !== "not_run").map((c) => c.name)).toEqual([...security])
  })
})

describe("security probes on the wire", () => {
  it("sends confused paths raw, the key in the query string, and the header in other letter case", async () => {
    const server = await tiny({ ids: ["x1"] })
    const report = await run({
      baseUrl: server.url,
      apiKey: "pp_live_CANARY_9f8e7d6c5b4a",
      accountIds: ["x1"],
      checks: ["security"]
    })
    expect(failedChecks(report)).toEqual([])
    expect(server.paths).toEqual(
      expect.arrayContaining([
        "/api/v1/accounts/x1/x",
        "/api/v1/accounts/x1/",
        "/api/v1/accounts/x1;param",
        "/api/v1/accounts/%2578%2531",
        `/api/v1/accounts/x1?api_key=${encodeURIComponent("pp_live_CANARY_9f8e7d6c5b4a")}`,
        `/api/v1/accounts/x1?x-api-key=${encodeURIComponent("pp_live_CANARY_9f8e7d6c5b4a")}`
      ])
    )
  })

  it("--exclude-checks security sends none of them", async () => {
    const server = await tiny({ ids: ["x1"] })
    const report = await run({
      baseUrl: server.url,
      apiKey: "pp_live_CANARY_9f8e7d6c5b4a",
      accountIds: ["x1"],
      excludeChecks: ["security"]
    })
    for (const name of security) expect(statusOf(report, name).note).toBe("not selected")
    const confused = ["/api/v1/accounts/x1/", "/api/v1/accounts/x1;", "/api/v1/accounts/%2578%2531", "?"]
    expect(server.paths.filter((p) => confused.some((c) => p.includes(c)))).toEqual([])
    expect(server.paths.length).toBeGreaterThan(5)
  })

  it("near_miss_keys is skipped for short keys and leaves out case variants for keys without letters", async () => {
    const short = await tiny({ ids: ["x1"], key: "k1234" })
    const skipped = await run({ baseUrl: short.url, apiKey: "k1234", accountIds: ["x1"], checks: ["near_miss_keys"] })
    expect(statusOf(skipped, "near_miss_keys").status).toBe("not_run")
    expect(statusOf(skipped, "near_miss_keys").note).toContain("shorter than 8")
    const digits = await tiny({ ids: ["x1"], key: "1234567890123" })
    const partial = await run({
      baseUrl: digits.url,
      apiKey: "1234567890123",
      accountIds: ["x1"],
      checks: ["near_miss_keys"]
    })
    expect(statusOf(partial, "near_miss_keys").status).toBe("pass")
    expect(statusOf(partial, "near_miss_keys").note).toContain("no letters")
    expect(statusOf(partial, "near_miss_keys").evaluated).toBe(4)
  })

  it("path_confusion and the header-name probes are skipped without a known account", async () => {
    const server = await tiny({ ids: [] })
    const report = await run({ baseUrl: server.url, apiKey: "pp_live_CANARY_9f8e7d6c5b4a", checks: ["security"] })
    expect(statusOf(report, "path_confusion").status).toBe("not_run")
    expect(statusOf(report, "path_confusion").note).toContain("--account-id")
    expect(statusOf(report, "credential_placement").status).toBe("pass")
    expect(statusOf(report, "credential_placement").note).toContain("header-name probes left out")
    expect(statusOf(report, "near_miss_keys").status).toBe("pass")
  })
})

describe("key hygiene: near-miss keys are as secret as the key", () => {
  // Recognisable, mixed case, sharing no 6-character run with anything else a report holds.
  const SECRET = "Zq8RmT4vWx2NpL7kBc5H"
  const runsOf = (key: string, n: number) =>
    Array.from({ length: key.length - n + 1 }, (_, i) => key.slice(i, i + n).toLowerCase())

  it("a sloppy server that accepts near misses and echoes every key leaks nothing into any report", async () => {
    const server = await tiny({ ids: ["x1"], key: SECRET, sloppy: true, reflectKey: true })
    const events = await Effect.runPromise(
      suiteEvents({
        seed: 5,
        runs: 5,
        concurrency: 2,
        baseUrl: server.url,
        apiKey: SECRET,
        accountIds: ["x1"],
        foreignAccountIds: ["zz"]
      }).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray), Effect.provide(layerNode))
    )
    const report = await Effect.runPromise(reportOf(Stream.fromIterable(events)))
    // Each violation is an event as it is found: its line is as secret-free as the report.
    const progress = events.filter((event) => event._tag !== "Finished")
    const lines = progress.flatMap((event) => (event._tag === "Violation" ? [event.check] : []))
    expect(new Set(lines)).toEqual(new Set(failedChecks(report)))
    // It really is caught, so failures (bodies, messages, URLs, curl lines) are in the report.
    expect(failedChecks(report)).toEqual(expect.arrayContaining([...security, "key_not_reflected"]))
    const nearMiss = statusOf(report, "near_miss_keys")
    expect(nearMiss.failures.some((f) => f.message.includes("authentication bypass"))).toBe(true)
    expect(nearMiss.failures.every((f) => f.curl?.includes("X-API-KEY: ***"))).toBe(true)
    const query = statusOf(report, "credential_placement").failures.find((f) => f.request?.url.includes("api_key"))
    expect(query?.request?.url).toMatch(/\?api_key=\*\*\*$/)
    expect(query?.curl).toContain("api_key=***")

    const plan = nearMissKeys(SECRET)
    const variants = plan._tag === "Run" ? plan.variants.map((v) => v.key) : []
    expect(variants.length).toBe(6)
    const outputs = [
      formatHuman(report, { perCheck: 100 }),
      toJson(report),
      toJunitXml(report),
      JSON.stringify(progress)
    ]
    for (const text of outputs) {
      const lower = text.toLowerCase()
      for (const variant of [SECRET, ...variants]) expect(text).not.toContain(variant)
      for (const run of runsOf(SECRET, 6)) expect(lower).not.toContain(run)
    }
  })

  it("redact hides the key in any letter case and cut short", () => {
    expect(redact(`a ${SECRET.toLowerCase()} b ${SECRET.toUpperCase()}`, SECRET)).toBe("a *** b ***")
    expect(redact(`"\u00A0${SECRET.slice(0, 10)}x"`, SECRET)).toBe('"\u00A0***x"')
    expect(redact("zq8rm is short", SECRET)).toBe("zq8rm is short")
  })
})
