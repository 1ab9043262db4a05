/**
 * The default transport (internal/undici.ts) as an `HttpClient` in its own
 * right, on loopback: the accessors the client does not use still work, the
 * body is read once, and request bodies are refused rather than dropped.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { describe } from "vitest"
import * as Deadlines from "../src/internal/deadlines.js"
import * as Undici from "../src/internal/undici.js"
import { json, loopback } from "./support/server.js"

const withClient = <A, E>(f: (client: HttpClient.HttpClient) => Effect.Effect<A, E>) =>
  Effect.flatMap(HttpClient.HttpClient, f).pipe(Effect.provide(Undici.layer))

describe("lean undici transport", () => {
  it.scopedLive("status, headers, cookies and every body accessor", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) =>
        json(res, 201, { a: 1 }, { "set-cookie": "s=1; Path=/", "x-api-key": "echoed", "x-custom": "yes" })
      )
      const url = `${server.origin}/x?q=1`
      const results = yield* withClient((client) =>
        Effect.gen(function* () {
          const r1 = yield* client.execute(HttpClientRequest.get(url))
          const body = yield* r1.json
          const r2 = yield* client.execute(HttpClientRequest.get(url))
          const bytes = new Uint8Array(yield* r2.arrayBuffer)
          const r3 = yield* client.execute(HttpClientRequest.get(url))
          const chunks = yield* Stream.runCollect(r3.stream)
          const r4 = yield* client.execute(HttpClientRequest.get(url))
          const text = yield* r4.text
          const again = yield* Effect.either(r4.text)
          return { r1, body, bytes, chunks, text, again }
        })
      )
      expect(results.r1.status).toBe(201)
      expect(results.r1.headers["x-custom"]).toBe("yes")
      expect(results.r1.cookies.cookies.s?.value).toBe("1")
      expect(results.body).toEqual({ a: 1 })
      expect(new TextDecoder().decode(results.bytes)).toBe('{"a":1}')
      expect(Chunk.size(results.chunks)).toBeGreaterThan(0)
      expect(results.text).toBe('{"a":1}')
      // Bodies are read once: a second read is a typed ResponseError, not a defect.
      expect(results.again._tag === "Left" && results.again.left._tag).toBe("ResponseError")
      // Inspecting a response redacts the key header.
      expect(JSON.stringify(results.r1)).not.toContain("echoed")
      expect(server.requests.map((r) => r.url)).toEqual(["/x?q=1", "/x?q=1", "/x?q=1", "/x?q=1"])
    })
  )

  it.scopedLive("enforces a registered deadline itself, on the headers and on the body", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => {
        if (req.url === "/body") {
          res.writeHead(200, { "content-length": "100" })
          res.write("partial")
        }
      })
      // As AccountsClient does: with the platform's tracing on, propagation
      // would hand the transport a copy of the request.
      const outcome = yield* withClient((transport) =>
        Effect.gen(function* () {
          expect(Deadlines.enforcesDeadlines(transport)).toBe(true)
          const client = HttpClient.withTracerDisabledWhen(transport, () => true)
          const noHeaders = HttpClientRequest.get(`${server.origin}/headers`)
          Deadlines.deadlines.set(noHeaders, Date.now() + 100)
          const headersError = yield* Effect.flip(client.execute(noHeaders))
          const noBody = HttpClientRequest.get(`${server.origin}/body`)
          Deadlines.deadlines.set(noBody, Date.now() + 100)
          const response = yield* client.execute(noBody)
          const bodyError = yield* Effect.flip(response.text)
          return { headersError, bodyError }
        })
      )
      expect(outcome.headersError._tag).toBe("RequestError")
      expect(Deadlines.isTimedOut(outcome.headersError)).toBe(true)
      expect(outcome.bodyError._tag).toBe("ResponseError")
      expect(Deadlines.isTimedOut(outcome.bodyError)).toBe(true)
    })
  )

  it("other HttpClients are not taken to enforce deadlines", () => {
    expect(Deadlines.enforcesDeadlines(HttpClient.make(() => Effect.never))).toBe(false)
  })

  it.scopedLive("request bodies are refused with a typed RequestError", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => json(res, 200, {}))
      const error = yield* withClient((client) =>
        Effect.flip(client.execute(HttpClientRequest.post(`${server.origin}/x`).pipe(HttpClientRequest.bodyText("hi"))))
      )
      expect(error).toMatchObject({ _tag: "RequestError", reason: "Encode" })
      expect(server.requests).toHaveLength(0)
    })
  )
})
