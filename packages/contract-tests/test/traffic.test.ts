/**
 * `ContractTraffic.judge`: one exchange in, its findings out, on the suite's
 * own rules (it is the function the suite calls too).
 */
import { SpecExample } from "@postpress/schema"
import * as Redacted from "effect/Redacted"
import { describe, expect, expectTypeOf, it } from "vitest"
import * as ContractTraffic from "../src/ContractTraffic.js"

const base = "https://staging.example.com/api"
const KEY = "pp_live_TRAFFIC_0123456789"
const example = SpecExample.retrieveAccountResponse as unknown as Record<string, unknown>
const id = String(example.id)

const exchange = (
  status: number,
  body: unknown,
  init: {
    readonly url?: string
    readonly key?: string | null
    readonly headers?: Record<string, string>
    readonly method?: string
  } = {}
): ContractTraffic.Exchange => ({
  request: {
    method: init.method ?? "GET",
    url: init.url ?? `${base}/v1/accounts/${encodeURIComponent(id)}`,
    headers: init.key === null ? {} : { "X-API-KEY": init.key ?? KEY }
  },
  response: {
    status,
    headers: init.headers ?? { "content-type": "application/json" },
    body: new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body))
  }
})

const checks = (j: ContractTraffic.Judgement) => j.findings.map((f) => f.check).sort()
const opts = { baseUrl: base, apiKey: Redacted.make(KEY) }

describe("ContractTraffic.judge", () => {
  it("a conformant 200 has no findings and names its type", () => {
    const j = ContractTraffic.judge(exchange(200, example), opts)
    expect(j.judged).toBe(true)
    expect(j.accountId).toBe(id)
    expect(j.findings).toEqual([])
    expect(j.accountType).toBe(example.type)
    expect(j.unknownFields).toEqual([])
    expect(j.evaluated).toContain("response_schema")
  })

  it("only GET {base}/v1/accounts/{one segment} is judged", () => {
    expect(ContractTraffic.judge(exchange(200, example, { method: "POST" }), opts).judged).toBe(false)
    expect(ContractTraffic.judge(exchange(200, example, { url: `${base}/v1/accounts/a/b` }), opts).judged).toBe(false)
    expect(ContractTraffic.judge(exchange(200, example, { url: `${base}/v1/accounts/` }), opts).judged).toBe(false)
    expect(ContractTraffic.judge(exchange(200, example, { url: `${base}/v2/other` }), opts).judged).toBe(false)
    expect(
      ContractTraffic.judge(exchange(200, example, { url: `https://elsewhere.test/api/v1/accounts/${id}` }), opts)
        .judged
    ).toBe(false)
    // a raw path (as a server sees it) and a query string
    const raw = ContractTraffic.judge(exchange(200, example, { url: `/api/v1/accounts/${id}?expand=1` }), opts)
    expect(raw.judged).toBe(true)
    expect(raw.findings).toEqual([])
    // without baseUrl any .../v1/accounts/{id} is judged
    expect(ContractTraffic.judge(exchange(200, example, { url: `/x/v1/accounts/${id}` })).judged).toBe(true)
  })

  it("the id is the percent-decoded segment and body.id must equal it", () => {
    const odd = "a/b c%"
    const j = ContractTraffic.judge(
      exchange(200, { ...example, id: odd }, { url: `${base}/v1/accounts/${encodeURIComponent(odd)}` }),
      opts
    )
    expect(j.accountId).toBe(odd)
    expect(j.findings).toEqual([])
    const other = ContractTraffic.judge(exchange(200, { ...example, id: "acc_other" }), opts)
    expect(checks(other)).toEqual(["known_accounts"])
  })

  it("decode failures carry issues with paths", () => {
    const j = ContractTraffic.judge(exchange(200, { ...example, created_at: "2025-02-30T10:00:00.000Z" }), opts)
    expect(checks(j)).toEqual(["response_schema"])
    expect(j.findings[0]!.issues.join("\n")).toContain("created_at")
  })

  it("unknown fields are drift (not a finding) unless strict, derived from the schema", () => {
    const params = example.connection_params as Record<string, Record<string, unknown>>
    const body = {
      ...example,
      new_top: 1,
      sources: (example.sources as Array<object>).map((s) => ({ ...s, extra: true })),
      connection_params: { ...params, im: { ...params.im, new_flag: true } }
    }
    const lenient = ContractTraffic.judge(exchange(200, body), opts)
    expect(lenient.findings).toEqual([])
    expect([...lenient.unknownFields].sort()).toEqual(["connection_params.im.new_flag", "new_top", "sources[].extra"])
    const strict = ContractTraffic.judge(exchange(200, body), { ...opts, strict: true })
    expect(checks(strict)).toEqual(["response_schema"])
    expect(strict.unknownFields).toEqual([])
  })

  it("error envelopes: status equal to the HTTP status, type of the tier", () => {
    const ok = ContractTraffic.judge(
      exchange(404, { title: "Not Found", type: "errors/resource_not_found", status: 404 }),
      opts
    )
    expect(ok.findings).toEqual([])
    const mismatch = ContractTraffic.judge(
      exchange(404, { title: "Not Found", type: "errors/resource_not_found", status: 400 }),
      opts
    )
    expect(checks(mismatch)).toEqual(["error_envelope"])
    const tier = ContractTraffic.judge(
      exchange(404, { title: "Not Found", type: "errors/invalid_credentials", status: 404 }),
      opts
    )
    expect(checks(tier)).toEqual(["error_envelope"])
  })

  it("no key: 401 errors/missing_credentials, otherwise a missing_credentials finding", () => {
    const good = { title: "Unauthorized", type: "errors/missing_credentials", status: 401 }
    const ok = ContractTraffic.judge(exchange(401, good, { key: null }), opts)
    expect(ok.findings).toEqual([])
    expect(ok.credentials).toBe("missing")
    const served = ContractTraffic.judge(exchange(200, example, { key: null }), opts)
    expect(checks(served)).toEqual(["missing_credentials"])
    const wrongType = ContractTraffic.judge(
      exchange(401, { ...good, type: "errors/invalid_credentials" }, { key: null }),
      opts
    )
    expect(checks(wrongType)).toEqual(["missing_credentials"])
    // a transient answer says nothing about credentials
    const busy = ContractTraffic.judge(
      exchange(503, { title: "Service Unavailable", type: "errors/service_unavailable", status: 503 }, { key: null }),
      opts
    )
    expect(busy.findings).toEqual([])
  })

  it("status, content type and server errors", () => {
    const envelope500 = { title: "Internal Server Error", type: "errors/unexpected_error", status: 500 }
    expect(checks(ContractTraffic.judge(exchange(500, envelope500), opts))).toContain("not_a_server_error")
    expect(checks(ContractTraffic.judge(exchange(418, { title: "x", type: "y", status: 418 }), opts))).toContain(
      "status_code"
    )
    const text = ContractTraffic.judge(exchange(200, example, { headers: { "content-type": "text/plain" } }), opts)
    expect(checks(text)).toEqual(["content_type"])
    const problem = ContractTraffic.judge(
      exchange(
        404,
        { title: "Not Found", type: "errors/resource_not_found", status: 404 },
        { headers: { "Content-Type": "application/problem+json" } }
      ),
      opts
    )
    expect(problem.findings).toEqual([])
  })

  it("a reflected key (the request's own or the configured one) is found and masked", () => {
    const leaked = ContractTraffic.judge(
      exchange(200, example, { headers: { "content-type": "application/json", "x-echo": KEY } }),
      opts
    )
    expect(checks(leaked)).toEqual(["key_not_reflected"])
    const other = "pp_live_SOMEONE_ELSE_42"
    const body = { title: "Unauthorized", type: "errors/invalid_credentials", status: 401, detail: `bad key ${other}` }
    const own = ContractTraffic.judge(exchange(401, body, { key: other }), opts)
    expect(own.credentials).toBe("invalid")
    expect(checks(own)).toEqual(["key_not_reflected"])
    expect(JSON.stringify(own)).not.toContain(other)
    expect(JSON.stringify(leaked)).not.toContain(KEY)
  })

  it("a 429 is throttling, not a contract answer: only a leaked key counts in it", () => {
    const throttled = ContractTraffic.judge(
      exchange(429, "slow down", { headers: { "content-type": "text/plain" } }),
      opts
    )
    expect(throttled.findings).toEqual([])
    expect(throttled.evaluated).toEqual(["key_not_reflected"])
    const leaky = ContractTraffic.judge(exchange(429, `slow down ${KEY}`, { headers: {} }), opts)
    expect(checks(leaky)).toEqual(["key_not_reflected"])
  })

  it("headers in any shape: Headers, pairs, node-style arrays", () => {
    const body = JSON.stringify(example)
    const viaHeaders = ContractTraffic.judge(
      {
        request: {
          method: "get",
          url: new URL(`${base}/v1/accounts/${id}`),
          headers: new Headers({ "x-api-key": KEY })
        },
        response: { status: 200, headers: new Headers({ "Content-Type": "application/json" }), body }
      },
      opts
    )
    expect(viaHeaders.findings).toEqual([])
    const pairs = ContractTraffic.judge(
      {
        request: { method: "GET", url: `${base}/v1/accounts/${id}`, headers: [["X-Api-Key", KEY]] },
        response: { status: 200, headers: { "content-type": ["application/json"] }, body }
      },
      opts
    )
    expect(pairs.findings).toEqual([])
    expect(pairs.credentials).toBe("valid")
  })

  it("public types", () => {
    expectTypeOf(ContractTraffic.judge).parameters.toEqualTypeOf<
      [ContractTraffic.Exchange, (ContractTraffic.JudgeOptions | undefined)?]
    >()
    expectTypeOf<ContractTraffic.Judgement["findings"][number]["check"]>().toEqualTypeOf<
      import("../src/ContractCheck.js").CheckName
    >()
    expectTypeOf<ContractTraffic.Judgement["unknownFields"]>().toEqualTypeOf<ReadonlyArray<string>>()
    expectTypeOf<ContractTraffic.JudgeOptions["apiKey"]>().toEqualTypeOf<Redacted.Redacted<string> | undefined>()
    expectTypeOf<ContractTraffic.TrafficReport["traffic"]["judged"]>().toEqualTypeOf<number>()
  })
})

describe("drift memory bound", () => {
  it("keeps at most 1,000 paths (then counts more) and a 1 KB example per path", async () => {
    const { DriftTally, maxPaths, maxExampleChars } = await import("../src/internal/report/drift.js")
    const tally = new DriftTally<{ readonly body?: string }>()
    const body = "y".repeat(900 * 1024)
    for (let i = 0; i < maxPaths + 5; i++) tally.add([`field_${i}`], { body })
    tally.add(["field_0", "field_1"], { body })
    expect(tally.size).toBe(maxPaths)
    expect(tally.more).toBe(5)
    const fields = tally.fields()
    expect(fields[0]).toMatchObject({ count: 2 })
    expect(fields.every((f) => (f.first.body ?? "").length <= maxExampleChars)).toBe(true)
  })
})

describe("a hostile 200 body", () => {
  it("a type whose toString is not callable is a response_schema violation, not a crash of the judge", () => {
    const judgement = ContractTraffic.judge({
      request: { method: "GET", url: "https://api.example.com/api/v1/accounts/acc_1", headers: {} },
      response: {
        status: 200,
        headers: { "content-type": "application/json" },
        body: '{"type":{"toString":""},"id":"acc_1"}'
      }
    })
    expect(judgement.findings.map((f) => f.check)).toContain("response_schema")
  })
})
