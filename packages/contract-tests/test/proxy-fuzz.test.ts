/**
 * No crash on any upstream bytes (issue 18 §2), as a property: whatever a
 * target sends back (well-formed, truncated, garbage, control characters,
 * odd status codes), the client gets an answer or a closed connection, each
 * exchange ends, and the proxy goes on serving. Loopback only.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Effect from "effect/Effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as ContractProxy from "../src/ContractProxy.js"
import { rawUpstream, send } from "./proxy-support.js"

const runPromise = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer))

const fragment = fc.oneof(
  fc.constantFrom(
    "HTTP/1.1 ",
    "HTTP/1.0 ",
    "HTTP/2 ",
    "200",
    "099",
    "000",
    "101",
    "103",
    "999",
    " OK",
    " O\x01K",
    "\x7f",
    "\r\n",
    "\n",
    "content-length: 2\r\n",
    "content-length: -1\r\n",
    "transfer-encoding: chunked\r\n",
    "trailer: x\r\n",
    " folded\r\n",
    "x: \x00\r\n",
    "zz\r\n",
    "0\r\n\r\n",
    "hi"
  ),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString("latin1"))
)

const answer = fc.array(fragment, { minLength: 0, maxLength: 12 }).map((parts) => parts.join(""))

/** A well-formed answer, to check the proxy still serves after each hostile one. */
const wellFormed = "HTTP/1.1 204 No Content\r\n\r\n"

describe("any upstream bytes", () => {
  it("every exchange ends, the client gets an answer or a closed connection, and the proxy goes on", async () => {
    let current = ""
    const upstream = await rawUpstream(() => current)
    try {
      await runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const proxy = yield* ContractProxy.make({ target: `${upstream.url}/api`, upstreamTimeout: "500 millis" })
            yield* Effect.promise(() =>
              fc.assert(
                fc.asyncProperty(answer, async (bytes) => {
                  current = bytes
                  const got = await send(proxy.url, "/v1/accounts/acc_1").then(
                    (r) => r.status,
                    () => -1
                  )
                  // A status the client can use, or a cut connection: never a hang (the timeout bounds silence).
                  expect(got === -1 || (got >= 100 && got <= 999)).toBe(true)
                  current = wellFormed
                  expect((await send(proxy.url, "/v1/accounts/acc_2")).status).toBe(204)
                }),
                { numRuns: 60 }
              )
            )
            const report = yield* proxy.stop("2 seconds")
            expect(report.traffic.exchanges).toBeGreaterThanOrEqual(120)
            expect(yield* proxy.inFlight).toBe(0)
          })
        )
      )
    } finally {
      await upstream.stop()
    }
  }, 120_000)
})
