/**
 * Consumer-side coverage, in process: what the mock records per workspace
 * key (account types, the 32 error types, 429 with Retry-After, retries,
 * unknown fields), the report's `missing` lists, the summary lines and the
 * HTML page. Every request goes to a real mock on 127.0.0.1.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { connect } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Account, AccountsApi, ErrorCatalogue } from "@postpress/schema"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import * as MockCoverage from "../src/MockCoverage.js"
import {
  MockCoverageNotEnabled,
  headers as mockHeaders,
  type RunningMockServer,
  startMockServer
} from "../src/MockServer.js"
import { useMocks } from "./support/mocks.js"

const { start, track } = useMocks()

const get = async (mock: RunningMockServer, id: string, extra: Record<string, string> = {}, key?: string) => {
  const res = await fetch(`${mock.url}/v1/accounts/${encodeURIComponent(id)}`, {
    headers: { [AccountsApi.apiKeyHeader]: key ?? mock.workspaces[0]!.apiKey, ...extra }
  })
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as unknown }
}

/** Requests every fixture of workspace 0 (all 14 types), each of the 32 error types, and every behaviour. */
const everything = async (mock: RunningMockServer) => {
  for (const id of mock.workspaces[0]!.accountIds) await get(mock, id)
  const id = mock.workspaces[0]!.accountIds[0]!
  for (const entry of ErrorCatalogue.catalogue) {
    await get(mock, id, { [mockHeaders.fault]: `${entry.status}:${entry.type}` })
  }
  await get(mock, id, { [mockHeaders.fault]: "429" })
  for (const status of [503, 504, 429]) {
    const script = { [mockHeaders.fault]: `${status},200`, [mockHeaders.sequence]: `retry-${status}` }
    await get(mock, id, script)
    await get(mock, id, script)
  }
  await get(mock, id, { [mockHeaders.extraFields]: "1" })
  await get(mock, id, { [mockHeaders.unknownType]: "1" })
}

describe("x-mock-fault serves every documented error type", () => {
  it.each(ErrorCatalogue.catalogue.map((e) => [e.status, e.type] as const))("%d:%s", async (status, type) => {
    const mock = await start()
    const res = await get(mock, mock.workspaces[0]!.accountIds[0]!, { [mockHeaders.fault]: `${status}:${type}` })
    expect(res.status).toBe(status)
    expect(res.body).toMatchObject({ type, status })
    expect((await mock.coverage()).seen.errors[String(status)]).toEqual({ [type]: 1 })
  })
})

describe("asking for a behaviour on purpose", () => {
  it("x-mock-fault: 429 answers Too Many Requests with Retry-After (default 1 s, or x-mock-retry-after)", async () => {
    const mock = await start()
    const id = mock.workspaces[0]!.accountIds[0]!
    const plain = await get(mock, id, { [mockHeaders.fault]: "429" })
    expect(plain).toMatchObject({ status: 429, retryAfter: "1", body: { status: 429, title: "Too Many Requests" } })
    expect((await get(mock, id, { [mockHeaders.fault]: "429", [mockHeaders.retryAfter]: "7" })).retryAfter).toBe("7")
    // The second request repeats the first after its 429: a retry.
    expect((await mock.coverage()).seen.behaviours).toEqual({ rate_limited_with_retry_after: 2, retry_after_429: 1 })
  })

  it("x-mock-extra-fields: 1 adds fields no spec version defines; the account still decodes", async () => {
    const mock = await start()
    const ws = mock.workspaces[0]!
    for (const account of ws.accounts) {
      const res = await get(mock, account.id, { [mockHeaders.extraFields]: "1" })
      expect(res.status).toBe(200)
      const body = res.body as Record<string, unknown>
      expect(body.mock_added_later).toBeTypeOf("string")
      expect((body.connection_params as Record<string, unknown>).mock_added_later).toBeTypeOf("string")
      expect(() => Schema.decodeUnknownSync(Account.Account, { onExcessProperty: "error" })(body)).toThrow()
      const decoded = Schema.decodeUnknownSync(Account.Account)(body)
      expect(decoded).toMatchObject({ id: account.id, type: account.type })
    }
    const plain = await get(mock, ws.accountIds[0]!, { [mockHeaders.extraFields]: "0" })
    expect((plain.body as Record<string, unknown>).mock_added_later).toBeUndefined()
    expect((await mock.coverage()).seen.behaviours).toEqual({ unknown_fields: ws.accounts.length })
  })

  it("a malformed x-mock-extra-fields is a 400 naming the header", async () => {
    const mock = await start()
    const res = await get(mock, mock.workspaces[0]!.accountIds[0]!, { [mockHeaders.extraFields]: "yes" })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ type: "errors/invalid_parameters" })
    expect((res.body as { detail: string }).detail).toContain("x-mock-extra-fields")
  })

  it("a retry is the same request repeated after a 503, 504 or 429; another request is not", async () => {
    const mock = await start()
    const [first, second] = mock.workspaces[0]!.accountIds
    const script = { [mockHeaders.fault]: "503,503,200", [mockHeaders.sequence]: "s1" }
    expect((await get(mock, first!, script)).status).toBe(503)
    expect((await get(mock, second!)).status).toBe(200)
    expect((await mock.coverage()).seen.behaviours).toEqual({})
    expect((await get(mock, first!, script)).status).toBe(503)
    expect((await get(mock, first!, script)).status).toBe(200)
    expect((await mock.coverage()).seen.behaviours).toEqual({ retry_after_503: 2 })
    // The same path with another workspace's key is another request.
    await get(mock, second!, { [mockHeaders.fault]: "504" })
    await get(mock, second!, {}, mock.workspaces[1]!.apiKey)
    expect((await mock.coverage()).seen.behaviours).toEqual({ retry_after_503: 2 })
    await get(mock, second!)
    expect((await mock.coverage()).seen.behaviours).toEqual({ retry_after_503: 2, retry_after_504: 1 })
  })
})

describe("the coverage report", () => {
  it("two accounts and one 503:errors/no_handler: 12 or 13 types and 31 error types missing", async () => {
    const mock = await start()
    const ws = mock.workspaces[0]!
    await get(mock, ws.accountIds[1]!)
    await get(mock, ws.accountIds[2]!)
    const fault = await get(mock, ws.accountIds[1]!, { [mockHeaders.fault]: "503:errors/no_handler" })
    expect(fault.status).toBe(503)
    const report = await mock.coverage()
    const servedTypes = new Set([ws.accounts[1]!.type, ws.accounts[2]!.type])
    expect(report.missing.types).toEqual(Account.accountTypes.filter((t) => !servedTypes.has(t)))
    expect([12, 13]).toContain(report.missing.types.length)
    expect(report.missing.errors).toHaveLength(31)
    expect(report.missing.errors).not.toContain("errors/no_handler")
    expect(report.missing.behaviours).toEqual(MockCoverage.behaviours)
    expect(report.seen).toMatchObject({ requests: 3, errors: { "503": { "errors/no_handler": 1 } } })
    expect(report.seen.workspaces[0]).toMatchObject({ workspace: 0, requests: 3 })
    expect(JSON.stringify(report)).not.toContain(ws.apiKey)
    expect(MockCoverage.gaps(report, ["types", "errors"])).toHaveLength(report.missing.types.length + 31)
    const lines = MockCoverage.summaryLines(report, mock.workspaces)
    expect(lines[0]).toMatch(/^coverage: [12]\/14 account types, 1\/32 error types, 0\/6 behaviours \(3 requests\)$/)
    expect(lines).toContain(
      "never served errors/disconnected_account (401): send x-mock-fault: 401:errors/disconnected_account"
    )
    expect(lines).not.toContain("never served errors/no_handler (503): send x-mock-fault: 503:errors/no_handler")
    expect(lines).toContain(
      "never served 429 with Retry-After: send x-mock-fault: 429 (Retry-After 1 s, or x-mock-retry-after: N)"
    )
    const missingType = report.missing.types[0]!
    const fixture = ws.accounts.find((a) => a.type === missingType)!
    // The article goes by the type's first sound: "an ICLOUD account", "a SLACK account" (mock-coverage-wording.test.ts).
    expect(lines).toContain(
      `never served ${/^[AEIOU]/.test(missingType) ? "an" : "a"} ${missingType} account: request GET /v1/accounts/${fixture.id} with workspace 0's key`
    )
  })

  it("every fixture id, all 32 error types and every behaviour: nothing missing", async () => {
    const mock = await start()
    await everything(mock)
    const report = await mock.coverage()
    expect(report.missing).toEqual({ types: [], errors: [], behaviours: [] })
    expect(MockCoverage.gaps(report, MockCoverage.kinds)).toEqual([])
    expect(Object.keys(report.seen.types)).toHaveLength(14)
    expect(MockCoverage.summaryLines(report)).toHaveLength(1)
  })

  it("errors the mock gives on its own count too, per workspace key; an unknown key is never recorded", async () => {
    const mock = await start()
    const [own, other] = mock.workspaces
    await get(mock, other!.accountIds[0]!) // another workspace's account → 404
    await get(mock, own!.accountIds[0]!, {}, "sk_live_not_a_mock_key") // unknown key → 401
    const res = await fetch(`${mock.url}/v1/accounts/${own!.accountIds[0]}`) // no key → 401
    expect(res.status).toBe(401)
    const report = await mock.coverage()
    expect(report.seen.errors).toEqual({
      "401": { "errors/missing_credentials": 1, "errors/invalid_credentials": 1 },
      "404": { "errors/resource_not_found": 1 }
    })
    expect(report.seen.workspaces.map((w) => [w.workspace, w.requests])).toEqual([
      [0, 1],
      [1, 0],
      [null, 2]
    ])
    expect(JSON.stringify(report)).not.toContain("sk_live_not_a_mock_key")
  })

  it("answers given before any request exists (Node's parser rejected the bytes) count as anonymous", async () => {
    const mock = await start()
    const { port } = new URL(mock.url)
    const answer = await new Promise<string>((resolve, reject) => {
      let out = ""
      const socket = connect(Number(port), "127.0.0.1", () => socket.write("GET /v1/accounts/a b c\r\n\r\n"))
      socket.on("data", (chunk) => {
        out += chunk.toString()
      })
      socket.on("end", () => resolve(out))
      socket.on("error", reject)
    })
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    const report = await mock.coverage()
    expect(report.seen.errors).toEqual({ "400": { "errors/malformed_request": 1 } })
    expect(report.seen.workspaces.at(-1)).toMatchObject({ workspace: null, requests: 1 })
  })

  it("the startup fixtures name each id's type, in workspace 0 all 14", async () => {
    const mock = await start()
    const ws = mock.workspaces[0]!
    expect(ws.accounts.map((a) => a.id)).toEqual(ws.accountIds)
    expect(new Set(ws.accounts.map((a) => a.type))).toEqual(new Set(Account.accountTypes))
  })

  it("coverageFile: the report is written when stop() closes the mock, and decodes as a MockCoverage.Report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mock-coverage-"))
    try {
      const file = join(dir, "coverage.json")
      const mock = await startMockServer({ coverageFile: file })
      await get(mock, mock.workspaces[0]!.accountIds[1]!)
      await mock.stop()
      const text = readFileSync(file, "utf8")
      const written = Schema.decodeUnknownSync(Schema.parseJson(MockCoverage.Report))(text)
      expect(written.seen.requests).toBe(1)
      expect(written.missing.types).toHaveLength(13)
      expect(written.missing.errors).toHaveLength(32)
      expect(text).toBe(MockCoverage.toJson(await mock.coverage()))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("coverage() without coverage: true rejects with MockCoverageNotEnabled instead of reporting gaps nobody looked for", async () => {
    const mock = await startMockServer()
    track(mock)
    const refused = await mock.coverage().catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(MockCoverageNotEnabled)
    expect(refused).toMatchObject({ message: "mock server: coverage needs the mock started with coverage: true" })
  })

  it("toJson is the report's Schema encoding, byte for byte the JSON of --coverage FILE (two spaces, final newline)", async () => {
    const mock = await start()
    await everything(mock)
    const report = await mock.coverage()
    expect(MockCoverage.toJson(report)).toBe(`${JSON.stringify(report, null, 2)}\n`)
    expect(Schema.decodeUnknownSync(Schema.parseJson(MockCoverage.Report))(MockCoverage.toJson(report))).toEqual(report)
  })

  it("parses --require-coverage lists", () => {
    expect(MockCoverage.parseKinds("types,errors")).toEqual(["types", "errors"])
    expect(MockCoverage.parseKinds(" behaviours ,types,types")).toEqual(["behaviours", "types"])
    expect(MockCoverage.parseKinds("types,bogus")).toMatch(/subset of types,errors,behaviours/)
    expect(MockCoverage.parseKinds("")).toMatch(/subset/)
  })
})
