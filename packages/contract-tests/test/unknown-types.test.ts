/**
 * An account type none of the 14 in a 200: a `response_schema` violation by
 * default (the spec has 14 types, so a lower-cased `"linkedin"` fails too);
 * with `unknownTypes: "keep"` drift, named ("unknown account type FOO") and
 * counted like unknown fields, failing only with `failOnDrift`. The same
 * judge behind the suite, the proxy and the HAR reader: checked on one
 * exchange, on a whole suite run (in memory, TestClock), on a HAR, and
 * through the proxy in front of the mock serving a 15th type on request.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { it } from "@effect/vitest"
import { SpecExample } from "@postpress/schema"
import { startMockServer } from "@postpress/testkit/MockServer"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import { type ContractConfig, events } from "../src/Contract.js"
import * as ContractHar from "../src/ContractHar.js"
import { render as renderHtml } from "../src/ContractHtml.js"
import { toJunitXml } from "../src/ContractJunit.js"
import { type ContractReport, failedChecks, formatHuman } from "../src/ContractReport.js"
import * as ContractTraffic from "../src/ContractTraffic.js"
import { KEY } from "./broken-servers/TinyServer.js"
import { send, withProxy } from "./proxy-support.js"
import { harText } from "./support/har.js"
import { conformant, scripted } from "./support/memoryTransport.js"

const baseUrl = "http://api.test/api"
const example = SpecExample.retrieveAccountResponse
const ofType = (type: string) => (id: string) => ({
  ...example,
  id,
  type,
  connection_params: { later: { handle: "h" } }
})

const exchange = (body: unknown) => ({
  request: { method: "GET", url: `${baseUrl}/v1/accounts/${example.id}`, headers: { "x-api-key": KEY } },
  response: { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) }
})

const judge = (body: unknown, options: ContractTraffic.JudgeOptions = {}) =>
  ContractTraffic.judge(exchange(body), { baseUrl, ...options })

const schemaFindings = (judgement: ContractTraffic.Judgement) =>
  judgement.findings.filter((f) => f.check === "response_schema")

describe("one exchange", () => {
  it.each(["BLUESKY", "linkedin"])("%s is a response_schema violation by default", (type) => {
    const judgement = judge(ofType(type)(example.id))
    expect(schemaFindings(judgement)).toHaveLength(1)
    expect(schemaFindings(judgement)[0]!.issues.join("\n")).toMatch(new RegExp(`^type: expected .*got "${type}"$`))
    expect(judgement.unknownType).toBeUndefined()
    expect(judgement.accountType).toBeUndefined()
  })

  it.each(["BLUESKY", "linkedin"])("%s is drift under keep: no finding, the type named, no type seen", (type) => {
    const judgement = judge(ofType(type)(example.id), { unknownTypes: "keep" })
    expect(judgement.findings).toEqual([])
    expect(judgement.unknownType).toBe(type)
    expect(judgement.accountType).toBeUndefined()
    expect(judgement.evaluated).toContain("response_schema")
  })

  it("keep judges what an unknown type still must be: the shared fields, and the id as requested", () => {
    const { id: _, ...noId } = ofType("BLUESKY")(example.id)
    const broken = judge(noId, { unknownTypes: "keep" })
    expect(schemaFindings(broken)[0]?.issues).toEqual(["id: expected UniqueId, got undefined"])
    expect(broken.unknownType).toBeUndefined()
    const elsewhere = judge(ofType("BLUESKY")("acc_other"), { unknownTypes: "keep" })
    expect(elsewhere.findings.map((f) => f.check)).toEqual(["known_accounts"])
  })

  it("keep changes nothing for the 14 types, strict or not", () => {
    for (const strict of [false, true]) {
      expect(judge(example, { unknownTypes: "keep", strict })).toEqual(judge(example, { strict }))
    }
    const extra = { ...example, later_field: 1 }
    expect(judge(extra, { unknownTypes: "keep" }).unknownFields).toEqual(["later_field"])
    expect(schemaFindings(judge(extra, { unknownTypes: "keep", strict: true }))).toHaveLength(1)
  })
})

const config: ContractConfig = { baseUrl, apiKey: KEY, accountIds: ["x1", "x2"], seed: 7, runs: 3, checks: ["spec"] }

/** A whole suite run against a server whose accounts are all of `type`. */
const suite = (given: Partial<ContractConfig>, type = "BLUESKY") =>
  Effect.gen(function* () {
    const transport = yield* scripted(conformant(["x1", "x2"], ofType(type)))
    const fiber = yield* Effect.fork(
      events({ ...config, ...given }).pipe(Stream.runCollect, Effect.provide(transport.layer))
    )
    yield* TestClock.adjust("1 hour")
    const last = Chunk.toReadonlyArray(yield* Fiber.join(fiber)).at(-1)
    if (last?._tag !== "Finished") throw new Error("the run did not finish")
    return last.report as ContractReport
  })

describe("the suite", () => {
  it.effect("fails response_schema on an unknown type by default", () =>
    Effect.gen(function* () {
      const report = yield* suite({})
      expect(failedChecks(report)).toContain("response_schema")
      expect(report.drift?.unknownTypes).toBeUndefined()
    })
  )

  it.effect("reports it as drift, named, under unknownTypes keep: the run passes, the reports name it", () =>
    Effect.gen(function* () {
      const report = yield* suite({ unknownTypes: "keep" })
      expect(failedChecks(report)).toEqual([])
      expect(report.drift?.unknownTypes).toEqual([{ type: "BLUESKY", count: expect.any(Number) }])
      expect(report.drift!.unknownTypes![0]!.count).toBeGreaterThanOrEqual(2)
      expect(report.variants.seen).toEqual([])
      const human = formatHuman(report)
      expect(human).toContain("Drift: 1 unknown account type (not in the spec, allowed)")
      expect(human).toMatch(/ {2}unknown account type BLUESKY {2}in \d+ responses/)
      expect(toJunitXml(report)).toMatch(/<property name="drift\.unknown_types" value="BLUESKY=\d+"/)
      const page = renderHtml(report)
      expect(page).toContain("<h2>Drift: 1 unknown account type</h2>")
      expect(page).toMatch(/<td class="mono">BLUESKY<\/td><td class="num">\d+<\/td>/)
    })
  )

  it.effect("fails only with failOnDrift, naming the type and a response that carried it", () =>
    Effect.gen(function* () {
      const report = yield* suite({ unknownTypes: "keep", failOnDrift: true })
      expect(failedChecks(report)).toEqual(["response_schema"])
      const failure = report.checks.find((c) => c.name === "response_schema")!.failures[0]!
      expect(failure.message).toMatch(
        /^drift: the unknown account type BLUESKY was in \d+ responses \(--fail-on-drift\)$/
      )
      expect(failure.issues[0]).toMatch(/^type: BLUESKY is none of the spec's 14 account types/)
    })
  )

  it.effect("a lower-cased linkedin fails by default, and is named drift under keep", () =>
    Effect.gen(function* () {
      expect(failedChecks(yield* suite({}, "linkedin"))).toContain("response_schema")
      const kept = yield* suite({ unknownTypes: "keep" }, "linkedin")
      expect(kept.drift?.unknownTypes?.map((t) => t.type)).toEqual(["linkedin"])
    })
  )
})

describe("the HAR reader", () => {
  it.effect("takes unknownTypes too", () =>
    Effect.gen(function* () {
      const entry = exchange(ofType("BLUESKY")(example.id))
      const har = harText([
        {
          url: entry.request.url,
          time: 5,
          requestHeaders: { "x-api-key": "***" },
          responseHeaders: { "content-type": "application/json" },
          body: entry.response.body
        }
      ])
      const judged = (options: ContractHar.JudgingOptions) =>
        ContractHar.judgeDocuments([{ file: "later.har", text: har }], { baseUrl, ...options }).pipe(
          Effect.provide(NodeFileSystem.layer)
        )
      expect(failedChecks(yield* judged({}))).toContain("response_schema")
      const kept = yield* judged({ unknownTypes: "keep" })
      expect(failedChecks(kept)).toEqual([])
      expect(kept.drift?.unknownTypes).toEqual([{ type: "BLUESKY", count: 1 }])
    })
  )
})

describe("the proxy", () => {
  it("takes unknownTypes too: the mock's 15th type (x-mock-unknown-type: 1) is drift under keep, a violation by default", async () => {
    const mock = await startMockServer({})
    try {
      const [workspace] = mock.workspaces
      const through = (options: { readonly unknownTypes?: "fail" | "keep" }) =>
        withProxy({ target: mock.url, maxRequests: 1, ...options }, async (url) => {
          const res = await send(url, `/v1/accounts/${workspace!.accountIds[0]}`, {
            headers: { "x-api-key": workspace!.apiKey, "x-mock-unknown-type": "1" }
          })
          expect(JSON.parse(res.body.toString("utf8")).type).toBe("MOCK_LATER_PROVIDER")
        })
      const strict = await through({})
      expect(failedChecks(strict.report)).toContain("response_schema")
      const kept = await through({ unknownTypes: "keep" })
      expect(failedChecks(kept.report)).toEqual([])
      expect(kept.report.drift?.unknownTypes).toEqual([{ type: "MOCK_LATER_PROVIDER", count: 1 }])
    } finally {
      await mock.stop()
    }
  })
})
