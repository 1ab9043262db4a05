/**
 * Fault injection: scripted per request with headers, random by options,
 * latency, `Retry-After`, and the tamper hook. Every fault is a spec-valid
 * envelope of its tier.
 */
import { AccountsApi, ErrorCatalogue, ErrorEnvelope } from "@postpress/schema"
import * as Schema from "effect/Schema"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { headers as mockHeaders, type RunningMockServer, startMockServer } from "../src/MockServer.js"

let mock: RunningMockServer
let key: string

beforeAll(async () => {
  mock = await startMockServer({ seed: 3 })
  key = mock.workspaces[0]!.apiKey
})
afterAll(() => mock.stop())

const call = async (extra: Record<string, string> = {}, server = mock, apiKey?: string) => {
  const ws = server.workspaces[0]!
  const res = await fetch(`${server.url}/v1/accounts/${ws.accountIds[1]}`, {
    headers: { [AccountsApi.apiKeyHeader]: apiKey ?? ws.apiKey, ...extra }
  })
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: (await res.json()) as { type?: string; status?: number; detail?: string }
  }
}

const expectTier = (res: { status: number; body: unknown }) => {
  if (res.status === 200) return
  expect(ErrorCatalogue.isErrorStatus(res.status)).toBe(true)
  const schema = ErrorEnvelope.envelopes[res.status as ErrorCatalogue.ErrorStatus]
  expect(Schema.is(schema as unknown as Schema.Schema<ErrorEnvelope.DocumentedErrorEnvelope>)(res.body)).toBe(true)
}

describe("scripted faults (headers)", () => {
  it("503 twice then 200 within one sequence id", async () => {
    const headers = { [mockHeaders.fault]: "503,503,200", [mockHeaders.sequence]: "seq-a" }
    const statuses: Array<number> = []
    for (let i = 0; i < 4; i++) {
      const res = await call(headers)
      expectTier(res)
      statuses.push(res.status)
    }
    expect(statuses).toEqual([503, 503, 200, 200])
  })

  it("sequences are independent of each other", async () => {
    const script = { [mockHeaders.fault]: "504,200" }
    expect((await call({ ...script, [mockHeaders.sequence]: "seq-b" })).status).toBe(504)
    expect((await call({ ...script, [mockHeaders.sequence]: "seq-c" })).status).toBe(504)
    expect((await call({ ...script, [mockHeaders.sequence]: "seq-b" })).status).toBe(200)
  })

  it("without a sequence id the first step applies to each request", async () => {
    for (let i = 0; i < 3; i++) expect((await call({ [mockHeaders.fault]: "500" })).status).toBe(500)
  })

  it("default types are retryable ones; a named type must belong to the tier", async () => {
    expect((await call({ [mockHeaders.fault]: "503" })).body.type).toBe("errors/service_unavailable")
    expect((await call({ [mockHeaders.fault]: "504" })).body.type).toBe("errors/request_timeout")
    const named = await call({ [mockHeaders.fault]: "503:errors/no_client_session" })
    expect(named.body).toMatchObject({ status: 503, type: "errors/no_client_session" })
    const wrongTier = await call({ [mockHeaders.fault]: "503:errors/request_timeout" })
    expect(wrongTier.status).toBe(400)
    expect(wrongTier.body.detail).toMatch(/not a documented 503 type/)
  })

  it("every documented status can be scripted and is a valid envelope of its tier", async () => {
    for (const status of ErrorCatalogue.errorStatuses) {
      const res = await call({ [mockHeaders.fault]: String(status) })
      expect(res.status).toBe(status)
      expectTier(res)
    }
  })

  it("Retry-After on request", async () => {
    const res = await call({ [mockHeaders.fault]: "503", [mockHeaders.retryAfter]: "7" })
    expect(res.retryAfter).toBe("7")
    expect((await call({ [mockHeaders.fault]: "503" })).retryAfter).toBeNull()
  })

  it("malformed fault headers → 400 naming the header", async () => {
    for (const [name, value] of [
      [mockHeaders.fault, "418"],
      [mockHeaders.fault, "503,,200"],
      [mockHeaders.retryAfter, "-1"],
      [mockHeaders.delay, "soon"]
    ] as const) {
      const res = await call({ [mockHeaders.fault]: "503", [name]: value })
      expect(res.status).toBe(400)
      expect(res.body.detail).toContain(name)
    }
  })

  it("reset drops the connection", async () => {
    await expect(call({ [mockHeaders.fault]: "reset" })).rejects.toThrow()
    expect((await call()).status).toBe(200)
  })

  it("x-mock-delay delays the answer", async () => {
    const t0 = performance.now()
    expect((await call({ [mockHeaders.delay]: "120" })).status).toBe(200)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(100)
  })

  it("faults come before auth, like a gateway's", async () => {
    expect((await call({ [mockHeaders.fault]: "504" }, mock, "wrong")).status).toBe(504)
  })
})

describe("server-wide faults (options)", () => {
  it("faultRate 1 with faults [504] and retryAfter answers every API request 504 with Retry-After", async () => {
    const m = await startMockServer({ seed: 3, faultRate: 1, faults: [504], retryAfter: 2 })
    try {
      for (let i = 0; i < 5; i++) {
        const res = await call({}, m)
        expect(res.status).toBe(504)
        expect(res.retryAfter).toBe("2")
        expectTier(res)
      }
      expect((await fetch(`${m.url}/openapi.json`)).status).toBe(200)
    } finally {
      await m.stop()
    }
  })

  it("faultRate draws reproduce from the seed", async () => {
    const run = async () => {
      const m = await startMockServer({ seed: 11, faultRate: 0.5, faults: [500, 503] })
      try {
        const statuses: Array<number> = []
        for (let i = 0; i < 30; i++) statuses.push((await call({}, m)).status)
        return statuses
      } finally {
        await m.stop()
      }
    }
    const [a, b] = [await run(), await run()]
    expect(a).toEqual(b)
    expect(new Set(a)).toEqual(new Set([200, 500, 503]))
  })

  it("each request's draw depends on the seed and the request, not on what else is in flight", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `req-${i}`)
    const run = async (seed: number, order: "sequential" | "concurrent-reversed") => {
      const m = await startMockServer({ seed, faultRate: 0.5, faults: [500, 503] })
      try {
        const one = async (id: string) => [id, (await call({ [mockHeaders.sequence]: id }, m)).status] as const
        const pairs =
          order === "sequential"
            ? await ids.reduce<Promise<Array<readonly [string, number]>>>(
                async (acc, id) => [...(await acc), await one(id)],
                Promise.resolve([])
              )
            : await Promise.all([...ids].reverse().map(one))
        return Object.fromEntries(pairs)
      } finally {
        await m.stop()
      }
    }
    const a = await run(11, "sequential")
    const b = await run(11, "concurrent-reversed")
    expect(b).toEqual(a)
    expect(new Set(Object.values(a))).toEqual(new Set([200, 500, 503]))
    expect(await run(12, "sequential")).not.toEqual(a)
  })

  it("latency delays every API answer", async () => {
    const m = await startMockServer({ seed: 3, latency: "80 millis" })
    try {
      const t0 = performance.now()
      expect((await call({}, m)).status).toBe(200)
      expect(performance.now() - t0).toBeGreaterThanOrEqual(70)
    } finally {
      await m.stop()
    }
  })
})

describe("tamper hook", () => {
  it("rewrites status, headers and body after the mock answered", async () => {
    const m = await startMockServer({
      seed: 3,
      tamper: ({ request, response }) =>
        request.url.endsWith("/tampered")
          ? {
              status: 500,
              headers: { "content-type": "text/plain", "x-tampered": "1" },
              body: response.body.slice(0, 5)
            }
          : undefined
    })
    try {
      const res = await fetch(`${m.url}/v1/accounts/tampered`, { headers: { [AccountsApi.apiKeyHeader]: key } })
      expect(res.status).toBe(500)
      expect(res.headers.get("content-type")).toBe("text/plain")
      expect(res.headers.get("x-tampered")).toBe("1")
      expect(await res.text()).toBe('{"tit')
      expect((await call({}, m)).status).toBe(200)
    } finally {
      await m.stop()
    }
  })
})
