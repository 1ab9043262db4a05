/**
 * The mock server over real loopback HTTP: fixtures, auth and isolation,
 * malformed requests, OpenAPI, stopping. Faults live in mock-faults.test.ts,
 * options, scopes and errors in mock-lifecycle.test.ts, load and memory in
 * scripts/soak.ts (`pnpm soak`).
 */
import { request as httpRequest } from "node:http"
import { connect } from "node:net"
import * as OpenApi from "@effect/platform/OpenApi"
import { test } from "@fast-check/vitest"
import { Account, AccountsApi, ErrorCatalogue, ErrorEnvelope } from "@postpress/schema"
import * as Schema from "effect/Schema"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Arbitraries from "../src/Arbitraries.js"
import { type RunningMockServer, startMockServer } from "../src/MockServer.js"

const decodeAccount = Schema.decodeUnknownSync(Account.Account)
const isEnvelopeOf = (status: number): ((u: unknown) => boolean) =>
  ErrorCatalogue.isErrorStatus(status)
    ? Schema.is(ErrorEnvelope.envelopes[status] as unknown as Schema.Schema<ErrorEnvelope.DocumentedErrorEnvelope>)
    : () => false

let mock: RunningMockServer
let own: RunningMockServer["workspaces"][number]
let foreign: RunningMockServer["workspaces"][number]

beforeAll(async () => {
  mock = await startMockServer({ seed: 42 })
  own = mock.workspaces[0]!
  foreign = mock.workspaces[1]!
})
afterAll(() => mock.stop())

const get = async (path: string, headers: Record<string, string> = { [AccountsApi.apiKeyHeader]: own.apiKey }) => {
  const res = await fetch(`${mock.url}${path}`, { headers })
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", body: await res.json() }
}
const accountPath = (id: string) => `/v1/accounts/${encodeURIComponent(id)}`

/** Asserts a documented envelope of `status` and `type`, in JSON. */
const expectEnvelope = (
  res: { status: number; contentType: string; body: unknown },
  status: number,
  type?: ErrorCatalogue.ErrorType
) => {
  expect(res.status).toBe(status)
  expect(res.contentType).toMatch(/^application\/json\b/)
  expect(isEnvelopeOf(status)(res.body), JSON.stringify(res.body)).toBe(true)
  if (type !== undefined) expect((res.body as { type: string }).type).toBe(type)
}

describe("fixtures", () => {
  it("binds 127.0.0.1 and has at least two workspaces", () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(mock.workspaces.length).toBeGreaterThanOrEqual(2)
    expect(new Set(mock.workspaces.map((w) => w.apiKey)).size).toBe(mock.workspaces.length)
  })

  it("workspace 0 serves every provider type and the spec's example; every account decodes", async () => {
    const types = new Set<string>()
    for (const ws of mock.workspaces) {
      for (const id of ws.accountIds) {
        const res = await get(accountPath(id), { [AccountsApi.apiKeyHeader]: ws.apiKey })
        expect(res.status).toBe(200)
        expect(res.contentType).toMatch(/^application\/json\b/)
        const account = decodeAccount(res.body)
        expect(account.id).toBe(id)
        if (ws === own) types.add(account.type)
      }
    }
    expect([...types].sort()).toEqual([...Account.accountTypes].sort())
    expect(own.accountIds).toContain("acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
  })

  it("ids are unique across workspaces", () => {
    const ids = mock.workspaces.flatMap((w) => w.accountIds)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it("is deterministic from the seed", async () => {
    const [a, b, c] = await Promise.all([
      startMockServer({ seed: 42 }),
      startMockServer({ seed: 42 }),
      startMockServer({ seed: 43 })
    ])
    try {
      expect(a.workspaces).toEqual(b.workspaces)
      expect(a.workspaces).toEqual(mock.workspaces)
      expect(c.workspaces).not.toEqual(a.workspaces)
      const id = a.workspaces[0]!.accountIds[3]!
      const headers = { [AccountsApi.apiKeyHeader]: a.workspaces[0]!.apiKey }
      const bodies = await Promise.all(
        [a, b].map((m) => fetch(`${m.url}${accountPath(id)}`, { headers }).then((r) => r.text()))
      )
      expect(bodies[0]).toBe(bodies[1])
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()])
    }
  })
})

describe("auth and isolation", () => {
  it("missing key → 401 missing_credentials", async () => {
    expectEnvelope(await get(accountPath(own.accountIds[0]!), {}), 401, "errors/missing_credentials")
  })

  it("empty key → 401 missing_credentials", async () => {
    const res = await get(accountPath(own.accountIds[0]!), { [AccountsApi.apiKeyHeader]: "" })
    expectEnvelope(res, 401, "errors/missing_credentials")
  })

  it("unknown key, or a prefix of a real one → 401 invalid_credentials, key not reflected", async () => {
    for (const key of ["pp_live_nope", own.apiKey.slice(0, -1), `${own.apiKey}x`, own.apiKey.toUpperCase()]) {
      const res = await get(accountPath(own.accountIds[0]!), { [AccountsApi.apiKeyHeader]: key })
      expectEnvelope(res, 401, "errors/invalid_credentials")
      expect(JSON.stringify(res.body)).not.toContain(key)
    }
  })

  it("unknown id → 404 resource_not_found", async () => {
    expectEnvelope(await get(accountPath("acc_does_not_exist")), 404, "errors/resource_not_found")
  })

  it("another workspace's account → 404, both ways", async () => {
    expectEnvelope(await get(accountPath(foreign.accountIds[0]!)), 404, "errors/resource_not_found")
    const res = await get(accountPath(own.accountIds[0]!), { [AccountsApi.apiKeyHeader]: foreign.apiKey })
    expectEnvelope(res, 404, "errors/resource_not_found")
  })

  it("the header name is case-insensitive", async () => {
    const res = await get(accountPath(own.accountIds[0]!), { "x-api-key": own.apiKey })
    expect(res.status).toBe(200)
  })
})

/** Sends a raw request target (no client-side normalisation) and reads the answer. */
const raw = (path: string, headers: Record<string, string> = { [AccountsApi.apiKeyHeader]: own.apiKey }) =>
  new Promise<{ status: number; contentType: string; body: unknown }>((resolve, reject) => {
    const { port } = new URL(mock.url)
    const req = httpRequest({ host: "127.0.0.1", port, path, headers, method: "GET" }, (res) => {
      let text = ""
      res.setEncoding("utf8")
      res.on("data", (chunk) => {
        text += chunk
      })
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"] ?? "", body: JSON.parse(text) })
      )
    })
    req.on("error", reject)
    req.end()
  })

describe("malformed requests get documented envelopes", () => {
  it("bad percent-encoding → 400 unescaped_characters", async () => {
    for (const id of ["%ZZ", "%", "abc%2", "%E0%A4%A"]) {
      expectEnvelope(await raw(`/v1/accounts/${id}`), 400, "errors/unescaped_characters")
    }
  })

  it("extra path segments → 404", async () => {
    expectEnvelope(await raw(`/v1/accounts/${own.accountIds[0]}/extra`), 404, "errors/resource_not_found")
    expectEnvelope(await raw(`/v1/accounts/${own.accountIds[0]}/`), 404, "errors/resource_not_found")
  })

  it("empty id → 400 missing_parameters", async () => {
    expectEnvelope(await raw("/v1/accounts/"), 400, "errors/missing_parameters")
  })

  it("unknown routes and methods → 404", async () => {
    expectEnvelope(await raw("/"), 404)
    expectEnvelope(await raw("/v2/accounts/x"), 404)
    const res = await fetch(`${mock.url}${accountPath(own.accountIds[0]!)}`, {
      method: "POST",
      headers: { [AccountsApi.apiKeyHeader]: own.apiKey }
    })
    expect(res.status).toBe(404)
    expect(isEnvelopeOf(404)(await res.json())).toBe(true)
  })

  it("a query string or an unencoded ';' does not change the id", async () => {
    expect((await raw(`/v1/accounts/${own.accountIds[0]}?expand=all`)).status).toBe(200)
    expectEnvelope(await raw(`/v1/accounts/${own.accountIds[0]};x=1`), 404)
  })

  it("headers over Node's limit → 400 content_too_large; the server keeps serving", async () => {
    const res = await fetch(`${mock.url}${accountPath(own.accountIds[0]!)}`, {
      headers: { [AccountsApi.apiKeyHeader]: own.apiKey, "x-padding": "a".repeat(32 * 1024) }
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ type: "errors/content_too_large", status: 400 })
    expect((await get(accountPath(own.accountIds[0]!))).status).toBe(200)
  })

  /** Writes raw bytes on a fresh socket and returns everything the server sends back. */
  const rawSocket = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(mock.url).port), "127.0.0.1", () => socket.write(text))
      let out = ""
      socket.on("data", (d) => {
        out += d.toString("utf8")
      })
      socket.on("end", () => resolve(out))
      socket.on("error", reject)
    })
  const bodyOf = (response: string): unknown => JSON.parse(response.slice(response.indexOf("\r\n\r\n") + 4))

  it("a garbage request line or raw non-ASCII bytes → 400 malformed_request envelope", async () => {
    for (const line of ["GET /v1/accounts/a b c\r\n\r\n", "GET /v1/accounts/ééé HTTP/1.1\r\nHost: x\r\n\r\n"]) {
      const text = await rawSocket(line)
      expect(text).toMatch(/^HTTP\/1\.1 400 /)
      expect(bodyOf(text)).toMatchObject({ type: "errors/malformed_request", status: 400 })
    }
  })

  it("an Upgrade request is answered like any other", async () => {
    const text = await rawSocket(
      `GET ${accountPath(own.accountIds[0]!)} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\nUpgrade: websocket\r\n${AccountsApi.apiKeyHeader}: ${own.apiKey}\r\n\r\n`
    )
    expect(text).toMatch(/^HTTP\/1\.1 200 /)
    expect(decodeAccount(bodyOf(text)).id).toBe(own.accountIds[0])
  })
})

describe("hostile ids", () => {
  test.prop([Arbitraries.hostileAccountId], { numRuns: 150 })(
    "percent-encoded as one segment → 404 and a valid envelope, never 5xx",
    async (id) => {
      const res = await fetch(`${mock.url}${accountPath(id)}`, {
        headers: { [AccountsApi.apiKeyHeader]: own.apiKey }
      })
      const body = (await res.json()) as { status?: unknown }
      expect([400, 404]).toContain(res.status)
      expect(isEnvelopeOf(res.status)(body), JSON.stringify(body)).toBe(true)
      expect(body.status).toBe(res.status)
    }
  )

  test.prop([Arbitraries.hostileAccountId], { numRuns: 100 })(
    "sent raw (only the bytes HTTP forbids escaped) → a documented 4xx envelope",
    async (id) => {
      const path = `/v1/accounts/${encodeURI(id).replace(/[?#]/g, encodeURIComponent)}`
      const res = await raw(path)
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      expect(isEnvelopeOf(res.status)(res.body), JSON.stringify(res.body)).toBe(true)
    }
  )
})

describe("openapi", () => {
  it("serves /openapi.json with the contract's path", async () => {
    const res = await fetch(`${mock.url}/openapi.json`)
    expect(res.status).toBe(200)
    const doc = (await res.json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toContain(AccountsApi.pathTemplate)
    // The mock's own key middleware changes nothing a client can see in the document.
    const contract = OpenApi.fromApi(AccountsApi.makeApi(), { additionalPropertiesStrategy: "allow" })
    expect(JSON.parse(JSON.stringify(contract))).toEqual(doc)
  })
})

describe("lifecycle", () => {
  it("stop() closes keep-alive connections, is idempotent, and frees the port", async () => {
    const m = await startMockServer({ seed: 1 })
    const ws = m.workspaces[0]!
    const res = await fetch(`${m.url}${accountPath(ws.accountIds[0]!)}`, {
      headers: { [AccountsApi.apiKeyHeader]: ws.apiKey }
    })
    expect(res.status).toBe(200)
    await Promise.all([m.stop(), m.stop()])
    await expect(fetch(`${m.url}/openapi.json`)).rejects.toThrow()
  })
})
