/**
 * The API key canary: a unique key, servers that echo it back everywhere
 * they can, and every failure mode; the key must appear in none of the
 * errors' renderings, the logs or the span attributes. Also checks what the
 * span does record.
 */
import { randomUUID } from "node:crypto"
import { inspect } from "node:util"
import { expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { describe } from "vitest"
import * as AccountsClient from "../src/AccountsClient.js"
import { account, envelope } from "./support/fixtures.js"
import { recorder } from "./support/observe.js"
import { answering, json, listen, loopback } from "./support/server.js"

const renderings = (exit: Exit.Exit<unknown, unknown>): ReadonlyArray<string> => {
  if (Exit.isSuccess(exit)) return [JSON.stringify(exit.value)]
  const error = Cause.squash(exit.cause)
  return [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 12 }),
    error instanceof Error ? (error.stack ?? "") : "",
    Cause.pretty(exit.cause),
    Cause.pretty(exit.cause, { renderErrorCause: true }),
    String(exit)
  ]
}

describe("the API key never leaks", () => {
  it.scopedLive("through errors, logs or spans, whatever the server echoes", () =>
    Effect.gen(function* () {
      // A quote and a backslash: JSON-escaped and percent-encoded echoes differ from the raw key.
      const key = `pp_"canary\\${randomUUID()}`
      const other = yield* loopback((req, res) => json(res, 200, answering(req, account)))
      const server = yield* loopback((req, res) => {
        const echo = String(req.headers["x-api-key"])
        const id = decodeURIComponent(req.url?.split("/").pop() ?? "")
        switch (id) {
          case "ok":
            return json(res, 200, answering(req, account))
          case "404":
            return json(res, 404, envelope("errors/resource_not_found", { detail: echo, instance: echo }), {
              "x-request-id": echo
            })
          case "503":
            return json(res, 503, envelope("errors/network_down", { title: echo }), { "retry-after": "0" })
          case "502":
            return json(res, 502, `upstream said ${echo}`)
          case "502-encoded":
            return json(res, 502, `upstream said ${encodeURIComponent(echo)} and ${echo.toUpperCase()}`)
          case "bad-account":
            return json(res, 200, { ...answering(req, account), type: echo, name: undefined })
          case "bad-envelope":
            return json(res, 401, { title: echo, type: echo, status: 401 })
          case "redirect":
            return res.writeHead(302, { location: `${other.origin}/?k=${encodeURIComponent(echo)}` }).end(echo)
          case "reset":
            return req.socket.destroy()
          default:
            return undefined // hang: the attempt times out
        }
      })
      const refused = yield* Effect.promise(() => listen(() => {}))
      yield* Effect.promise(() => refused.close())

      const { spans, logs, observe } = recorder()
      const build = (baseUrl: string) =>
        Layer.build(
          AccountsClient.layer({
            apiKey: Redacted.make(key),
            baseUrl,
            timeout: "100 millis",
            maxRetries: 1,
            initialDelay: "1 millis"
          })
        ).pipe(Effect.map(Context.get(AccountsClient.AccountsClient)))
      const client = yield* build(`${server.origin}/api`)
      const dead = yield* build(`${refused.origin}/api`)

      const ids = [
        "ok",
        "404",
        "503",
        "502",
        "502-encoded",
        "bad-account",
        "bad-envelope",
        "redirect",
        "reset",
        "hang",
        ""
      ]
      const exits = [
        ...(yield* Effect.forEach(ids, (id) => observe(Effect.exit(client.retrieve(id))))),
        yield* observe(Effect.exit(dead.retrieve("x")))
      ]
      const tags = exits.map((exit) => (Exit.isSuccess(exit) ? "ok" : Cause.squash(exit.cause)))
      expect(tags.map((t) => (typeof t === "string" ? t : (t as { _tag: string })._tag))).toEqual([
        "ok",
        "NotFound",
        "ServiceUnavailable",
        "Outage",
        "Outage",
        "ContractViolation",
        "ContractViolation",
        "UnexpectedStatus",
        "TransportError",
        "TimeoutError",
        "InvalidArgument",
        "TransportError"
      ])
      // The canary is real: the server did receive it and echo it.
      expect(server.requests.some((r) => r.headers["x-api-key"] === key)).toBe(true)
      expect(logs.some((line) => line.includes("retrying"))).toBe(true)

      const everything = [
        ...exits.flatMap(renderings),
        ...logs,
        ...spans.map((s) => inspect({ name: s.name, attributes: s.attributes, events: s.events }, { depth: 12 })),
        // What tracers export of an exit: failures always; success values
        // only of our own span. The platform's request span ends with the
        // raw HttpClientResponse, i.e. whatever the server sent (here: the
        // echoed key), which exporters do not record.
        ...spans.map((s) =>
          s.exit === undefined || (s.exit._tag === "Success" && s.name !== AccountsClient.spanName)
            ? ""
            : renderings(s.exit).join("\n")
        )
      ]
      expect(everything.length).toBeGreaterThan(50)
      const forms = [key, JSON.stringify(key).slice(1, -1), encodeURIComponent(key), key.toUpperCase()]
      for (const text of everything) for (const form of forms) expect(text).not.toContain(form)
      // The echoed parts are still there, scrubbed (raw, JSON-escaped, percent-encoded, upper case).
      expect(everything.some((text) => text.includes("upstream said *** and ***"))).toBe(true)
      expect(everything.some((text) => text.includes("upstream said ***"))).toBe(true)
      expect(other.requests).toHaveLength(0)
    })
  )
})

describe("observability", () => {
  it.scopedLive("one span per call with method, URL template, status, attempts and error tag", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) =>
        req.url?.endsWith("/ok")
          ? json(res, 200, answering(req, account))
          : json(res, 503, envelope("errors/no_handler"))
      )
      const { spans, observe } = recorder()
      const client = yield* Layer.build(
        AccountsClient.layer({ apiKey: Redacted.make("k"), baseUrl: server.origin, initialDelay: "1 millis" })
      ).pipe(Effect.map(Context.get(AccountsClient.AccountsClient)))
      yield* observe(client.retrieve("ok"))
      yield* observe(Effect.exit(client.retrieve("down")))
      const ours = spans.filter((s) => s.name === AccountsClient.spanName)
      expect(ours).toHaveLength(2)
      expect(Object.fromEntries(ours[0]?.attributes ?? [])).toEqual({
        "http.request.method": "GET",
        "url.template": "/v1/accounts/{id}",
        "server.address": server.origin,
        "http.response.status_code": 200,
        "postpress.attempts": 1
      })
      expect(Object.fromEntries(ours[1]?.attributes ?? [])).toMatchObject({
        "http.response.status_code": 503,
        "postpress.attempts": 3,
        "error.type": "ServiceUnavailable"
      })
      // One platform request span per attempt, each a child of its call's span.
      const requests = spans.filter((s) => s.name !== AccountsClient.spanName)
      expect(requests.map((s) => s.name)).toEqual(Array(4).fill("http.client GET"))
      expect(requests.map((s) => s.parentSpanId)).toEqual([ours[0]?.spanId, ...Array(3).fill(ours[1]?.spanId)])
      const first = Object.fromEntries(requests[0]?.attributes ?? [])
      expect(first).toMatchObject({ "url.full": `${server.origin}/v1/accounts/ok`, "http.response.status_code": 200 })
      // Header names are there, their values redacted; the key is not even a request header here.
      expect(String(first["http.request.header.user-agent"])).toBe("<redacted>")
      expect(String(first["http.response.header.content-type"])).toBe("<redacted>")
      expect(Object.keys(first).filter((k) => k.includes("x-api-key"))).toEqual([])
    })
  )
})
