/**
 * An outage in front of the API is not a contract violation (issue 24): a
 * 502/503/504 whose body is not JSON (a load balancer's HTML or text page, an
 * empty 504) is retried by status, then fails as `Outage` with every attempt
 * counted; a JSON body on those statuses is still the API's and judged.
 * Against loopback servers.
 */
import type { ServerResponse } from "node:http"
import { expect, it } from "@effect/vitest"
import { Printable, ResponseRules } from "@postpress/schema"
import * as Effect from "effect/Effect"
import { describe } from "vitest"
import * as ClientError from "../src/ClientError.js"
import { account, envelope } from "./support/fixtures.js"
import { failureOf, liveClient } from "./support/live.js"
import { testKey } from "./support/mock.js"
import { answering, json, type Loopback, loopback } from "./support/server.js"

const nginx = (status: number) =>
  `<html>\r\n<head><title>${status} Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>${status} Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`

/** What a gateway in front of the API answers: a page, or nothing at all. */
const page = (res: ServerResponse, status: number, contentType: string | undefined, body: string) => {
  res.writeHead(status, {
    ...(contentType === undefined ? {} : { "content-type": contentType }),
    "content-length": Buffer.byteLength(body),
    "x-request-id": "lb-7"
  })
  res.end(body)
}

const pages = [
  { what: "an HTML 503", status: 503, contentType: "text/html; charset=utf-8", body: nginx(503), media: "text/html" },
  { what: "an empty 504", status: 504, contentType: undefined, body: "", media: "none" },
  { what: "a text 502", status: 502, contentType: "text/plain", body: "Bad Gateway", media: "text/plain" }
] as const

describe("a gateway's page after the retries is an Outage", () => {
  it.scopedLive.each(pages)("$what: Outage with every attempt, the content type and an excerpt", (answer) =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => page(res, answer.status, answer.contentType, answer.body))
      const client = yield* liveClient(server.origin, { maxRetries: 3 })
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error).toBeInstanceOf(ClientError.Outage)
      expect(error).toMatchObject({
        _tag: "Outage",
        status: answer.status,
        contentType: answer.media,
        // The one phrase of every postpress tool for such an answer.
        reason: ResponseRules.notTheApi({
          status: answer.status,
          contentType: answer.contentType,
          json: ResponseRules.NotJson
        })?.reason,
        attempts: 4,
        requestId: "lb-7"
      })
      expect(server.requests).toHaveLength(4)
      expect(error._tag === "Outage" && error.body).toBe(answer.body)
      expect(error.message).toMatch(new RegExp(`^outage in front of the API \\(gateway page: ${answer.status} `))
      expect(error.message).toContain("after 4 attempts")
      expect(error.message).not.toMatch(/contract/i)
      expect(error.message).not.toContain("\n")
    })
  )

  it.scopedLive("the message is one line naming the page; a long page is kept short", () =>
    Effect.gen(function* () {
      const long = `${nginx(503)}${"<p>filler</p>".repeat(200)}`
      const server = yield* loopback((_req, res) => page(res, 503, "text/html", long))
      const client = yield* liveClient(server.origin, { maxRetries: 0 })
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error.message).toBe(
        "outage in front of the API (gateway page: 503 text/html): <html> <head><title>503 Service Temporarily Unavailable</title></head> <body> <c…"
      )
      expect(error._tag === "Outage" && error.body).toBe(`${long.slice(0, 256)}… (${long.length - 256} more chars)`)
    })
  )

  it.scopedLive("a page that echoes the key keeps no key; control bytes never reach the message raw", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) =>
        page(res, 502, "text/html", `<h1>bad gateway</h1>\u001b]52;c;${req.headers["x-api-key"]}\u0007\r\u001b[2K ok`)
      )
      const client = yield* liveClient(server.origin, { maxRetries: 0 })
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(server.requests[0]?.headers["x-api-key"]).toBe(testKey)
      expect(error._tag === "Outage" && error.body).not.toContain(testKey)
      expect(error.message).not.toContain(testKey)
      expect(Printable.hasControl(error.message)).toBe(false)
      expect(error.message).toContain("\\x1b]52;c;***\\x07")
    })
  )

  it.scopedLive("a page twice, then the account: the retries recover", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res, i) =>
        i < 2 ? page(res, 502, "text/html", "<h1>502</h1>") : json(res, 200, answering(req, account))
      )
      const client = yield* liveClient(server.origin)
      expect((yield* client.retrieve(account.id)).id).toBe(account.id)
      expect(server.requests).toHaveLength(3)
    })
  )
})

describe("a JSON body on 502/503/504 is the API's, and judged", () => {
  it.scopedLive("a JSON 503 that is no envelope: ContractViolation, after the retries", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => json(res, 503, { error: "down" }))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error).toMatchObject({ _tag: "ContractViolation", status: 503, attempts: 3 })
    })
  )

  it.scopedLive("a valid 503 envelope: ServiceUnavailable", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => json(res, 503, envelope("errors/network_down")))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve(account.id)))
      expect(error).toMatchObject({ _tag: "ServiceUnavailable", status: 503, attempts: 3 })
    })
  )
})

describe("an alert keyed on ContractViolation", () => {
  /** Retrieves through a handler that counts ContractViolations, as an alerting pipeline would. */
  const alerting = (server: Loopback) =>
    Effect.gen(function* () {
      let alerts = 0
      const client = yield* liveClient(server.origin)
      const outcome = yield* client.retrieve(account.id).pipe(
        Effect.catchTag("ContractViolation", (violation) =>
          Effect.sync(() => {
            alerts++
            return violation._tag
          })
        ),
        Effect.catchAll((other) => Effect.succeed(other._tag))
      )
      return { alerts, outcome }
    })

  it.scopedLive("never fires during an outage, whatever the gateway answers", () =>
    Effect.gen(function* () {
      for (const answer of pages) {
        const server = yield* loopback((_req, res) => page(res, answer.status, answer.contentType, answer.body))
        expect(yield* alerting(server)).toEqual({ alerts: 0, outcome: "Outage" })
      }
      // Pages that change from one attempt to the next (a rolling restart behind the balancer).
      const rolling = yield* loopback((_req, res, i) => {
        const answer = pages[i % pages.length]!
        page(res, answer.status, answer.contentType, answer.body)
      })
      expect(yield* alerting(rolling)).toEqual({ alerts: 0, outcome: "Outage" })
    })
  )

  it.scopedLive("fires on a real violation (the alert is live)", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => json(res, 503, { error: "down" }))
      expect(yield* alerting(server)).toEqual({ alerts: 1, outcome: "ContractViolation" })
    })
  )
})
