/**
 * The security checks: the pure probe builders and judges, the embedded mock
 * passing every security check, group selection, and key hygiene (neither
 * the key nor any near-miss variant nor a run of six of its characters ever
 * reaches a report).
 */
import { describe, expect, it } from "vitest"
import { checkNames, checksOf, descriptions, groupOf, select } from "../src/ContractCheck.js"
import {
  confusedPaths,
  headerNameVariants,
  judgeConfusedPath,
  judgeHeaderName,
  judgeKeyInQuery,
  judgeNearMiss,
  keyQuery,
  nearMissKeys
} from "../src/internal/contract/security.js"

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
