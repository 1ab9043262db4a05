/**
 * Answers that are not valid HTTP (issue 24): a status line such as
 * `HTTP/1.1 099` or `000` makes undici's parser fail an internal assertion
 * (`assert(statusCode >= 100)`, or `false == true` on Node 20), a malformed
 * one an `HPE_*` parser error. The client reports either as a
 * `TransportError` of reason `InvalidResponse` whose message says the
 * server's answer is not valid HTTP, quoting the offending line escaped and
 * truncated when the transport kept it. Against a raw TCP loopback server.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, it } from "@effect/vitest"
import { Printable } from "@postpress/schema"
import * as Effect from "effect/Effect"
import { describe } from "vitest"
import { clientOn, failureOf, liveClient } from "./support/live.js"
import { rawServer } from "./support/raw.js"

const answer = (statusLine: string, body = "") =>
  `${statusLine}\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\n\r\n${body}`

/** What the message and detail must never be: a transport's internals, or raw control bytes. */
const readable = (text: string) => {
  expect(text).toContain("the server's answer is not valid HTTP")
  expect(text).not.toMatch(/assert|false == true|fetch failed/)
  expect(Printable.hasControl(text)).toBe(false)
}

describe("a status line that is not HTTP, through the fetch transport", () => {
  it.scopedLive.each(["HTTP/1.1 099 Weird", "HTTP/1.1 000 Zero"])(
    "%s: TransportError InvalidResponse, readable, retried like any transport failure",
    (statusLine) =>
      Effect.gen(function* () {
        const server = yield* rawServer(() => answer(statusLine, "hello"))
        const client = yield* liveClient(server.origin)
        const error = failureOf(yield* Effect.exit(client.retrieve("acc_1")))
        expect(error).toMatchObject({ _tag: "TransportError", reason: "InvalidResponse", attempts: 3 })
        readable(error.message)
        expect(error.message).toMatch(/^transport error \(InvalidResponse\): the server's answer is not valid HTTP/)
        expect(server.heads).toHaveLength(3)
      })
  )

  it.scopedLive("a malformed status line is quoted, its control bytes escaped", () =>
    Effect.gen(function* () {
      const server = yield* rawServer(() => answer("HTTP/1.1 abc \u001b[2J\u0007gone"))
      const client = yield* liveClient(server.origin, { maxRetries: 0 })
      const error = failureOf(yield* Effect.exit(client.retrieve("acc_1")))
      expect(error).toMatchObject({ _tag: "TransportError", reason: "InvalidResponse", attempts: 1 })
      readable(error.message)
      if (error._tag !== "TransportError") throw new Error("expected a TransportError")
      readable(error.detail)
      expect(error.detail).toContain("\\x1b[2J\\x07gone")
    })
  )

  it.scopedLive("a status line of 2,000 characters is quoted truncated", () =>
    Effect.gen(function* () {
      const server = yield* rawServer(() => answer(`HTTP/1.1 ${"x".repeat(2000)}`))
      const client = yield* liveClient(server.origin, { maxRetries: 0 })
      const error = failureOf(yield* Effect.exit(client.retrieve("acc_1")))
      expect(error).toMatchObject({ _tag: "TransportError", reason: "InvalidResponse" })
      readable(error.message)
      expect(error.message.length).toBeLessThan(300)
    })
  )
})

describe("through the platform's other transports", () => {
  const unretried = (origin: string, transport: Parameters<typeof clientOn>[0]) =>
    clientOn(transport, { baseUrl: origin, maxRetries: 0 })

  it.scopedLive("undici (NodeHttpClient.layerUndici): HTTP/1.1 099 is InvalidResponse, readable", () =>
    Effect.gen(function* () {
      const server = yield* rawServer(() => answer("HTTP/1.1 099 Weird"))
      const client = yield* unretried(server.origin, NodeHttpClient.layerUndici)
      const error = failureOf(yield* Effect.exit(client.retrieve("acc_1")))
      expect(error).toMatchObject({ _tag: "TransportError", reason: "InvalidResponse" })
      readable(error.message)
    })
  )

  it.scopedLive(
    "node:http (NodeHttpClient.layer) reads 099 as a status: UnexpectedStatus 99; a malformed line is InvalidResponse",
    () =>
      Effect.gen(function* () {
        const low = yield* rawServer(() => answer("HTTP/1.1 099 Weird"))
        const lowError = failureOf(
          yield* Effect.exit((yield* unretried(low.origin, NodeHttpClient.layer)).retrieve("acc_1"))
        )
        expect(lowError).toMatchObject({ _tag: "UnexpectedStatus", status: 99 })
        const bad = yield* rawServer(() => answer("HTTP/1.1 abc \u001b[2Jx"))
        const badError = failureOf(
          yield* Effect.exit((yield* unretried(bad.origin, NodeHttpClient.layer)).retrieve("acc_1"))
        )
        expect(badError).toMatchObject({ _tag: "TransportError", reason: "InvalidResponse" })
        readable(badError.message)
        expect(badError.message).toContain("\\x1b[2Jx")
      })
  )
})
