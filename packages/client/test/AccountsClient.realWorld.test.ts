/**
 * The client against what real networks serve, on loopback servers in this
 * process: load balancer pages retried by status, bounded bodies (80 MiB,
 * endless, a gzip bomb), redirects through any transport, and the 200 rules
 * shared with the suite. (Spawned processes: integration/AccountsClient.process.test.ts.)
 */
import type { ServerResponse } from "node:http"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import { describe } from "vitest"
import * as AccountsClient from "../src/AccountsClient.js"
import { bomb, MiB, pour } from "./support/bodies.js"
import { account } from "./support/fixtures.js"
import { clientOn, failureOf, liveClient } from "./support/live.js"
import { testKey } from "./support/mock.js"
import { answering, json, loopback } from "./support/server.js"

const html = (res: ServerResponse, status: number) => {
  const page = `<html><body><h1>${status} Service Temporarily Unavailable</h1><hr>nginx</body></html>`
  res.writeHead(status, { "content-type": "text/html" }).end(page)
}

describe("load balancer and gateway pages are retried by status", () => {
  it.scopedLive("an HTML 503 twice then 200: 3 requests, success", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res, i) =>
        i < 2 ? html(res, 503) : json(res, 200, answering(req, account))
      )
      const client = yield* liveClient(server.origin)
      expect((yield* client.retrieve(account.id)).id).toBe(account.id)
      expect(server.requests).toHaveLength(3)
    })
  )

  it.scopedLive("an HTML 503 always: 3 attempts, then an Outage with the status and the page", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => html(res, 503))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error).toMatchObject({ _tag: "Outage", status: 503, contentType: "text/html", attempts: 3 })
      expect(error._tag === "Outage" && error.body).toContain("Service Temporarily Unavailable")
      expect(server.requests).toHaveLength(3)
    })
  )

  it.scopedLive("a text 504 once then 200", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res, i) =>
        i === 0
          ? res.writeHead(504, { "content-type": "text/plain" }).end("upstream timed out")
          : json(res, 200, answering(req, account))
      )
      const client = yield* liveClient(server.origin)
      expect((yield* client.retrieve(account.id)).id).toBe(account.id)
      expect(server.requests).toHaveLength(2)
    })
  )

  it.scopedLive("a 503 errors/no_client_session envelope stays unretried", () =>
    Effect.gen(function* () {
      const body = { title: "No client session", type: "errors/no_client_session", status: 503 }
      const server = yield* loopback((_req, res) => json(res, 503, body))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error).toMatchObject({ _tag: "ServiceUnavailable", attempts: 1 })
    })
  )
})

describe("bodies are bounded by maxResponseBytes (default 16 MiB)", () => {
  it.scopedLive("an 80 MiB body fails with ResponseTooLarge, naming the limit and its size, unretried", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => pour(res, 80 * MiB, { "content-length": 80 * MiB }))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error).toMatchObject({ _tag: "ResponseTooLarge", status: 200, limit: 16 * MiB, attempts: 1 })
      expect(error.message).toBe(`response 200: body over the 16 MiB limit (${80 * MiB} bytes)`)
      expect(server.requests).toHaveLength(1)
    })
  )

  it.scopedLive("an endless body stops at the limit", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => pour(res, undefined, {}))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error).toMatchObject({ _tag: "ResponseTooLarge", limit: 16 * MiB, complete: false })
      expect(error._tag === "ResponseTooLarge" && error.received).toBeGreaterThan(16 * MiB)
      expect(error.message).toMatch(/^response 200: body over the 16 MiB limit \(at least \d+ bytes\)$/)
    })
  )

  it.scopedLive("a 1 MB gzip bomb (1 GiB inflated) is counted on the decoded bytes", () =>
    Effect.gen(function* () {
      expect(bomb.length).toBeLessThan(2 * MiB)
      const server = yield* loopback((_req, res) => {
        res.on("error", () => {})
        res.writeHead(200, {
          "content-type": "application/json",
          "content-encoding": "gzip",
          "content-length": bomb.length
        })
        res.end(bomb)
      })
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error).toMatchObject({ _tag: "ResponseTooLarge", limit: 16 * MiB, complete: false, attempts: 1 })
    })
  )

  it.scopedLive("maxResponseBytes is the limit; a body within it is read whole", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => json(res, 200, answering(req, account)))
      const tight = yield* liveClient(server.origin, { maxResponseBytes: 100 })
      const error = failureOf(yield* Effect.exit(tight.retrieve(account.id)))
      expect(error.message).toMatch(/^response 200: body over the 100 bytes limit \(\d+ bytes\)$/)
      const roomy = yield* liveClient(server.origin, { maxResponseBytes: 100_000 })
      expect((yield* roomy.retrieve(account.id)).id).toBe(account.id)
    })
  )

  it.scopedLive("a chunked body within the limit is read whole (streamed path)", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        const text = JSON.stringify(answering(req, account))
        res.write(text.slice(0, 10))
        res.end(text.slice(10))
      })
      const client = yield* liveClient(server.origin)
      expect((yield* client.retrieve(account.id)).id).toBe(account.id)
    })
  )
})

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["the stock FetchHttpClient.layer", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["AccountsClient.fetchLayer", AccountsClient.fetchLayer]
]

describe("redirects: the key never reaches another origin, whatever HttpClient is provided", () => {
  for (const [name, transport] of transports) {
    it.scopedLive.each([302, 307])(`${name}: a cross-origin %i is not followed`, (status) =>
      Effect.gen(function* () {
        const other = yield* loopback((req, res) => json(res, 200, answering(req, account)))
        const server = yield* loopback((_req, res) =>
          res.writeHead(status, { location: `${other.origin}/api/v1/accounts/${account.id}` }).end()
        )
        const client = yield* clientOn(transport, { baseUrl: `${server.origin}/api` })
        const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
        expect(error).toMatchObject({ _tag: "UnexpectedStatus", status })
        expect(error._tag === "UnexpectedStatus" && error.reason).toBe(
          `redirect to another origin (${other.origin}) not followed`
        )
        expect(server.requests[0]?.headers["x-api-key"]).toBe(testKey)
        expect(other.requests.filter((r) => r.headers["x-api-key"] !== undefined)).toEqual([])
        expect(other.requests).toHaveLength(0)
      })
    )

    it.scopedLive(`${name}: a same-origin redirect is followed with the key`, () =>
      Effect.gen(function* () {
        const server = yield* loopback((req, res) =>
          req.url?.startsWith("/new/")
            ? json(res, 200, answering(req, account))
            : res.writeHead(302, { location: `/new/v1/accounts/${account.id}` }).end()
        )
        const client = yield* clientOn(transport, { baseUrl: `${server.origin}/api` })
        expect((yield* client.retrieve(account.id)).id).toBe(account.id)
        expect(server.requests.map((r) => r.headers["x-api-key"])).toEqual([testKey, testKey])
      })
    )
  }
})

describe("the 200 rules are the suite's (ResponseRules)", () => {
  it.scopedLive("another account's id is a ContractViolation", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => json(res, 200, { ...account, id: "acc_someone_else" }))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error).toMatchObject({ _tag: "ContractViolation", status: 200, attempts: 1 })
      expect(error._tag === "ContractViolation" && error.issues).toEqual([
        `id: expected ${JSON.stringify(account.id)}, got "acc_someone_else"`
      ])
    })
  )

  it.scopedLive("a valid account served as text/html is a ContractViolation", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) =>
        res.writeHead(200, { "content-type": "text/html" }).end(JSON.stringify(answering(req, account)))
      )
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error._tag === "ContractViolation" && error.issues).toEqual([
        'content-type: expected application/json, got "text/html"'
      ])
    })
  )

  it.scopedLive("application/json with parameters is JSON", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) =>
        json(res, 200, answering(req, account), { "content-type": "Application/JSON; charset=utf-8" })
      )
      const client = yield* liveClient(server.origin)
      expect((yield* client.retrieve(account.id)).id).toBe(account.id)
    })
  )
})
