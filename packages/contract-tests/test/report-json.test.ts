/**
 * The JSON report is the encoding of the `ContractReport` Schema, and the
 * published `report.schema.json` is generated from it: the committed file is
 * current; real reports of the suite, a proxy session and HAR files (pass,
 * fail, inconclusive) validate against it with ajv, an implementation
 * independent of Effect, and read back into the same report; their JSON is
 * the report as it was built (every field, in order: the bytes the JSON
 * report had before it was a Schema's encoding); what is not a report fails
 * both the JSON Schema and `fromJson`, as a typed error.
 */
import { readFileSync, realpathSync } from "node:fs"
import { createRequire } from "node:module"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import { JsonSchemas, SpecExample } from "@postpress/schema"
import * as MockServer from "@postpress/testkit/MockServer"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { checkNames } from "../src/ContractCheck.js"
import * as ContractHar from "../src/ContractHar.js"
import { runAgainstMock } from "../src/ContractMock.js"
import * as ContractProxy from "../src/ContractProxy.js"
import * as ContractReport from "../src/ContractReport.js"
import { harText } from "./support/har.js"
import { published, publishedPath, strict } from "./support/reportSchema.js"

/** A mock whose 200 bodies do not decode as Account (`name` is a number). */
const brokenAccounts: MockServer.Options["tamper"] = ({ response }) =>
  response.status === 200 ? { body: JSON.stringify({ ...JSON.parse(response.body), name: 42 }) } : undefined

/**
 * The report's JSON validates against the published schema and its strict
 * variant, is the report as built (same fields, order and values), and reads
 * back into the same report.
 */
const expectValidJson = (report: ContractReport.ContractReport) =>
  Effect.gen(function* () {
    const text = ContractReport.toJson(report)
    const json: unknown = JSON.parse(text)
    expect(published(json)).toEqual([])
    expect(strict(json)).toEqual([])
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`)
    expect(yield* ContractReport.fromJson(text)).toEqual(report)
  })

describe("report.schema.json", () => {
  it("is the JSON Schema generated from ContractReport (run `pnpm generate` if this fails)", () => {
    expect(readFileSync(publishedPath, "utf8")).toBe(JsonSchemas.render(ContractReport.jsonSchema()))
  })

  it("is what @postpress/contract-tests/report.schema.json resolves to, and the package ships it", () => {
    const require = createRequire(publishedPath)
    expect(realpathSync(require.resolve("@postpress/contract-tests/report.schema.json"))).toBe(
      realpathSync(publishedPath)
    )
    const manifest = require("@postpress/contract-tests/package.json") as { readonly files: ReadonlyArray<string> }
    expect(manifest.files).toContain("report.schema.json")
  })

  it("describes every field (a description on each property of each object)", () => {
    const schema = ContractReport.jsonSchema() as { readonly $defs: Record<string, { properties?: object }> }
    const undescribed = Object.entries(schema.$defs).flatMap(([name, def]) =>
      Object.entries(def.properties ?? {})
        .filter(([, property]) => typeof (property as { description?: unknown }).description !== "string")
        .map(([field]) => `${name}.${field}`)
    )
    // The traffic counts per reason are described once, on the field that holds them.
    expect(undescribed.filter((path) => !path.startsWith("TrafficCounts.notJudged"))).toEqual([])
  })

  it.effect.prop(
    "any report the Schema allows: its JSON validates (published and strict) and reads back equal",
    // A `__proto__` key (in a record of details) does not survive decoding any JSON into an object; the
    // tally's detail keys are statuses, media types and codings, never that one.
    [Arbitrary.make(ContractReport.ContractReport).filter((report) => !JSON.stringify(report).includes('"__proto__"'))],
    ([report]) =>
      Effect.gen(function* () {
        const text = ContractReport.toJson(report)
        expect(published(JSON.parse(text))).toEqual([])
        expect(strict(JSON.parse(text))).toEqual([])
        expect(yield* ContractReport.fromJson(text)).toEqual(report)
      }),
    { fastCheck: { numRuns: 40 } }
  )
})

describe("the suite's reports", () => {
  it.effect("pass: the embedded mock", () =>
    Effect.gen(function* () {
      const report = yield* runAgainstMock({ seed: 11, runs: 3 })
      expect(report.verdict).toBe("pass")
      yield* expectValidJson(report)
    })
  )

  it.effect("fail: accounts that do not decode", () =>
    Effect.gen(function* () {
      const report = yield* runAgainstMock({ seed: 11, runs: 3, mock: { tamper: brokenAccounts } })
      expect(report.verdict).toBe("fail")
      expect(ContractReport.failedChecks(report)).toContain("response_schema")
      yield* expectValidJson(report)
    })
  )

  it.effect("inconclusive: every answer a 503", () =>
    Effect.gen(function* () {
      const report = yield* runAgainstMock({ seed: 11, runs: 3, maxAttempts: 1, mock: { faultRate: 1, faults: [503] } })
      expect(report.verdict).toBe("inconclusive")
      expect(report.inconclusiveReasons.length).toBeGreaterThan(0)
      yield* expectValidJson(report)
    })
  )
})

/** A proxy session in front of a mock: the requests of `paths` (with the workspace's key), then its report. */
const proxySession = (paths: (ids: ReadonlyArray<string>) => ReadonlyArray<string>, mockOptions: MockServer.Options) =>
  Effect.gen(function* () {
    const mock = yield* MockServer.make({ seed: 3, ...mockOptions })
    const workspace = mock.workspaces[0]!
    const proxy = yield* ContractProxy.make({ target: mock.url, apiKey: Redacted.make(workspace.apiKey) })
    for (const path of paths(workspace.accountIds)) {
      yield* Effect.promise(() =>
        fetch(`${proxy.url}${path}`, { headers: { "X-API-KEY": workspace.apiKey } }).then((res) => res.arrayBuffer())
      )
    }
    return yield* proxy.stop()
  }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))

const accounts = (ids: ReadonlyArray<string>) => ids.slice(0, 4).map((id) => `/v1/accounts/${encodeURIComponent(id)}`)

describe("a proxy session's reports", () => {
  it.effect("pass: the mock's accounts", () =>
    Effect.gen(function* () {
      const report = yield* proxySession(accounts, {})
      expect(report.verdict).toBe("pass")
      expect(report.traffic.judged).toBe(4)
      yield* expectValidJson(report)
    })
  )

  it.effect("fail: accounts that do not decode", () =>
    Effect.gen(function* () {
      const report = yield* proxySession(accounts, { tamper: brokenAccounts })
      expect(report.verdict).toBe("fail")
      yield* expectValidJson(report)
    })
  )

  it.effect("inconclusive: only traffic that is not the operation", () =>
    Effect.gen(function* () {
      const report = yield* proxySession(() => ["/openapi.json", "/v1/other"], {})
      expect(report.verdict).toBe("inconclusive")
      expect(report.traffic).toMatchObject({ exchanges: 2, judged: 0, notJudgedBy: { not_operation: 2 } })
      yield* expectValidJson(report)
    })
  )
})

const account = SpecExample.retrieveAccountResponse as unknown as Record<string, unknown>
const base = "https://api.postpress.ai/api"
const KEY = "pp_live_REPORT_JSON_0123456789"

/** A HAR 1.2 document of 200 answers to `GET {base}/v1/accounts/{id}`, each with the body given. */
const harOf = (answers: ReadonlyArray<{ readonly id: string; readonly body: unknown }>) =>
  harText(
    answers.map(({ id, body }) => ({
      url: `${base}/v1/accounts/${id}`,
      requestHeaders: { "X-API-KEY": KEY },
      responseHeaders: { "content-type": "application/json" },
      body: JSON.stringify(body),
      time: 12
    }))
  )

const judgeHar = (text: string) => ContractHar.judgeDocuments([{ file: "t.har", text }], { baseUrl: base })

describe("HAR files' reports", () => {
  it.effect("pass: the spec's example account", () =>
    Effect.gen(function* () {
      const report = yield* judgeHar(harOf([{ id: String(account.id), body: account }]))
      expect(report.verdict).toBe("pass")
      yield* expectValidJson(report)
    })
  )

  it.effect("fail: body.id is not the id asked for, and an unknown field with drift", () =>
    Effect.gen(function* () {
      const report = yield* judgeHar(harOf([{ id: "acc_asked", body: { ...account, new_flag: true } }]))
      expect(report.verdict).toBe("fail")
      expect(report.drift?.unknownFields).toEqual([{ path: "new_flag", count: 1 }])
      yield* expectValidJson(report)
    })
  )

  it.effect("inconclusive: an empty HAR", () =>
    Effect.gen(function* () {
      const report = yield* judgeHar(harOf([]))
      expect(report.verdict).toBe("inconclusive")
      yield* expectValidJson(report)
    })
  )
})

describe("what is not a report", () => {
  type Path = ReadonlyArray<string | number>
  type Node = Record<PropertyKey, unknown>

  /** Sets (or with `undefined` deletes) what `path` names in parsed JSON. */
  const setAt = (json: unknown, path: Path, value: unknown): void => {
    const parent = path.slice(0, -1).reduce<Node>((at, key) => at[key] as Node, json as Node)
    const key = path[path.length - 1]!
    if (value === undefined) delete parent[key]
    else parent[key] = value
  }

  /** A real failing report's JSON with `value` at `path` (a function of the report's JSON when it needs it). */
  const mutated = (path: Path, value: unknown) =>
    Effect.map(judgeHar(harOf([{ id: "acc_asked", body: account }])), (report) => {
      const json: unknown = JSON.parse(ContractReport.toJson(report))
      setAt(json, path, typeof value === "function" ? value(json) : value)
      return json
    })

  const knownAccounts = checkNames.indexOf("known_accounts")
  const mutations: ReadonlyArray<readonly [string, Path, unknown]> = [
    ["a verdict that is not one", ["verdict"], "maybe"],
    ["a check the catalogue does not have", ["checks", 0, "name"], "no_such_check"],
    ["a status a check cannot have", ["checks", 0, "status"], "skipped"],
    ["a negative count", ["requests"], -1],
    ["a fractional count", ["traffic", "judged"], 1.5],
    ["a count as text", ["traffic", "notJudgedBy", "not_operation"], "3"],
    ["no checks", ["checks"], undefined],
    [
      "more failures than a report keeps",
      ["checks", knownAccounts, "failures"],
      (json: { checks: Array<{ failures: Array<unknown> }> }) => {
        const failure = json.checks[knownAccounts]!.failures[0]
        expect(failure).toBeDefined()
        return Array.from({ length: ContractReport.maxFailuresPerCheck + 1 }, () => failure)
      }
    ]
  ]

  for (const [name, path, value] of mutations) {
    it.effect(`${name}: refused by report.schema.json and by fromJson (a ParseError)`, () =>
      Effect.gen(function* () {
        const json = yield* mutated(path, value)
        expect(published(json)).not.toEqual([])
        const error = yield* Effect.flip(ContractReport.fromJson(JSON.stringify(json)))
        expect(error._tag).toBe("ParseError")
      })
    )
  }

  it.effect("text that is not JSON: a ParseError, never a throw", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(ContractReport.fromJson("<html>502 Bad Gateway</html>"))
      expect(error._tag).toBe("ParseError")
    })
  )
})
