/**
 * Ids travel as exactly one path segment, unsafe ids never leave the process,
 * redirects never carry the key to another origin, and the layers read their
 * configuration.
 */
import { expect, it } from "@effect/vitest"
import { fc } from "@fast-check/vitest"
import { BaseUrl } from "@postpress/schema"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { describe } from "vitest"
import * as AccountsClient from "../src/AccountsClient.js"
import { account } from "./support/fixtures.js"
import { failureOf, liveClient } from "./support/live.js"
import { testKey } from "./support/mock.js"
import { answering, json, loopback } from "./support/server.js"

const prefix = "/api/v1/accounts/"

describe("ids", () => {
  it.scopedLive("tricky ids stay one segment and arrive intact", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => json(res, 200, answering(req, account)))
      const client = yield* liveClient(server.origin)
      const ids = [
        "a/b",
        "../admin",
        "%2F",
        "?x",
        "#x",
        "a b",
        "é/😀",
        "..a",
        ".%2e",
        "%2e%2e",
        "\\",
        "a;b=c",
        "...",
        "~"
      ]
      for (const id of ids) yield* client.retrieve(id)
      const segments = server.requests.map((r) => r.url.slice(prefix.length))
      expect(server.requests.every((r) => r.url.startsWith(prefix))).toBe(true)
      expect(segments.every((s) => !/[/?#]/.test(s))).toBe(true)
      expect(segments.map(decodeURIComponent)).toEqual(ids)
    })
  )

  it.scopedLive("property: any sendable id arrives as one segment that decodes to itself", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => json(res, 200, answering(req, account)))
      const client = yield* liveClient(server.origin)
      const sendable = fc
        .string({ unit: "binary", minLength: 1, maxLength: 24 })
        .filter((s) => s !== "." && s !== ".." && !/\p{Cc}/u.test(s))
      const samples = fc.sample(sendable, { numRuns: 100, seed: 42 })
      for (const id of samples) yield* client.retrieve(id)
      const decoded = server.requests.map((r) => {
        const segment = r.url.slice(prefix.length)
        expect(r.url.startsWith(prefix) && !segment.includes("/")).toBe(true)
        return decodeURIComponent(segment)
      })
      expect(decoded).toEqual(samples)
    })
  )

  it.scopedLive.each([
    ["", "must not be empty"],
    [".", "cannot be sent as a path segment"],
    ["..", "cannot be sent as a path segment"],
    ["a\u0000b", "control characters"],
    ["a\nb", "control characters"],
    ["\u0085", "control characters"],
    ["\ud800", "lone surrogates"],
    ["x\udc00y", "lone surrogates"]
  ] as const)("%j fails with InvalidArgument before any request", ([id, reason]) =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => json(res, 200, answering(req, account)))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve(id)))
      expect(error).toMatchObject({ _tag: "InvalidArgument", argument: "id" })
      expect(error.message).toContain(reason)
      expect(server.requests).toHaveLength(0)
    })
  )
})

describe("redirects", () => {
  it.scopedLive("a same-origin redirect is followed with the key", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => {
        if (req.url?.startsWith("/old/")) return json(res, 200, answering(req, account))
        res.writeHead(307, { location: "/old/v1/accounts/x" }).end("moved")
      })
      const client = yield* liveClient(server.origin)
      expect((yield* client.retrieve("x")).id).toBe("x")
      expect(server.requests.map((r) => [r.url, r.headers["x-api-key"]])).toEqual([
        ["/api/v1/accounts/x", testKey],
        ["/old/v1/accounts/x", testKey]
      ])
    })
  )

  it.scopedLive.each([301, 302, 303, 307, 308])("a %i to another origin is not followed", (status) =>
    Effect.gen(function* () {
      const other = yield* loopback((req, res) => json(res, 200, answering(req, account)))
      const server = yield* loopback((_req, res) => res.writeHead(status, { location: `${other.origin}/steal` }).end())
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "UnexpectedStatus", status, attempts: 1 })
      expect(error._tag === "UnexpectedStatus" && error.reason).toBe(
        `redirect to another origin (${other.origin}) not followed`
      )
      expect(other.requests).toHaveLength(0)
    })
  )

  it.scopedLive("a redirect loop stops after maxRedirects", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => res.writeHead(302, { location: "/api/v1/accounts/x" }).end())
      const client = yield* liveClient(server.origin, { maxRedirects: 2 })
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "UnexpectedStatus", status: 302, reason: "more than 2 redirects" })
      expect(server.requests).toHaveLength(3)
    })
  )
})

describe("layers and options", () => {
  const withEnv = (env: Record<string, string>) =>
    Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

  it.scopedLive("layerConfig reads POSTPRESS_API_KEY and POSTPRESS_BASE_URL", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => json(res, 200, answering(req, account)))
      const layer = AccountsClient.layerConfig().pipe(
        Layer.provide(withEnv({ POSTPRESS_API_KEY: "from-env", POSTPRESS_BASE_URL: `${server.origin}/base` }))
      )
      yield* AccountsClient.retrieve("x").pipe(Effect.provide(layer))
      expect(server.requests[0]?.url).toBe("/base/v1/accounts/x")
      expect(server.requests[0]?.headers["x-api-key"]).toBe("from-env")
    })
  )

  it.effect("layerConfig defaults the base URL and requires the key", () =>
    Effect.gen(function* () {
      const config = yield* AccountsClient.config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["POSTPRESS_API_KEY", "k"]])))
      )
      expect(config.baseUrl).toBe("https://api.postpress.ai/api")
      const missing = yield* Effect.exit(
        Layer.build(AccountsClient.layerConfig()).pipe(
          Effect.scoped,
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
        )
      )
      expect(Exit.isFailure(missing)).toBe(true)
      expect(String(missing)).toContain("POSTPRESS_API_KEY")
    })
  )

  it.scopedLive("a base URL ending in ? or # is refused with BaseUrl's message; the key is never sent", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => json(res, 200, answering(req, account)))
      const bases = [
        `${server.origin}/api?`,
        `${server.origin}/api#`,
        `${server.origin}/api?x=1`,
        `${server.origin}/#/api`
      ]
      for (const baseUrl of [...bases, ...bases.map((base) => new URL(base))]) {
        const exit = yield* Effect.exit(
          AccountsClient.retrieve(account.id).pipe(
            Effect.provide(AccountsClient.layer({ apiKey: Redacted.make(testKey), baseUrl }))
          )
        )
        const error = failureOf(exit)
        const defect = BaseUrl.defect(String(baseUrl))
        expect(defect).toMatch(/^must not have a (query \(\?\)|fragment \(#\))$/)
        expect(error).toMatchObject({ _tag: "InvalidArgument", argument: "baseUrl", reason: defect })
        expect(error.message).toBe(`invalid baseUrl: ${defect}`)
      }
      const env = withEnv({ POSTPRESS_API_KEY: testKey, POSTPRESS_BASE_URL: `${server.origin}/api?` })
      const fromEnv = yield* Effect.exit(
        AccountsClient.retrieve(account.id).pipe(Effect.provide(AccountsClient.layerConfig().pipe(Layer.provide(env))))
      )
      expect(failureOf(fromEnv as never)).toMatchObject({
        _tag: "InvalidArgument",
        argument: "POSTPRESS_BASE_URL",
        reason: "must not have a query (?)"
      })
      expect(server.requests).toHaveLength(0)
      // The same server is reached through a valid base: the refusals above were the rule, not a dead server.
      yield* AccountsClient.retrieve(account.id).pipe(
        Effect.provide(AccountsClient.layer({ apiKey: Redacted.make(testKey), baseUrl: `${server.origin}/api/` }))
      )
      expect(server.requests.map((r) => r.url)).toEqual([`/api/v1/accounts/${account.id}`])
    })
  )

  it.effect("config decodes POSTPRESS_BASE_URL with BaseUrl: normalized, or InvalidData with its message", () =>
    Effect.gen(function* () {
      const read = (url: string) =>
        Effect.either(
          AccountsClient.config.pipe(
            Effect.withConfigProvider(
              ConfigProvider.fromMap(
                new Map([
                  ["POSTPRESS_API_KEY", "k"],
                  ["POSTPRESS_BASE_URL", url]
                ])
              )
            )
          )
        )
      const normal = yield* read("HTTP://Staging.Example.com:80/api/")
      expect(Either.getOrThrow(normal).baseUrl).toBe("http://staging.example.com/api")
      const refused = yield* read("https://staging.example.com/api#")
      expect(Either.isLeft(refused) && refused.left).toMatchObject({
        _op: "InvalidData",
        path: ["POSTPRESS_BASE_URL"],
        message: "must not have a fragment (#)"
      })
    })
  )

  it.effect("bad options fail the layer with InvalidArgument", () =>
    Effect.gen(function* () {
      const apiKey = Redacted.make("k")
      for (const [options, argument] of [
        [{ apiKey, baseUrl: "not a url" }, "baseUrl"],
        [{ apiKey, baseUrl: "ftp://x" }, "baseUrl"],
        [{ apiKey, baseUrl: "http://x/?q=1" }, "baseUrl"],
        [{ apiKey: Redacted.make("") }, "apiKey"],
        [{ apiKey: Redacted.make("a\r\nb") }, "apiKey"],
        [{ apiKey: Redacted.make("clé") }, "apiKey"],
        [{ apiKey, maxRetries: -1 }, "maxRetries"],
        [{ apiKey, maxRedirects: 1.5 }, "maxRedirects"],
        [{ apiKey, timeout: "0 millis" }, "timeout"]
      ] as const) {
        const exit = yield* Effect.exit(Layer.build(AccountsClient.layer(options)).pipe(Effect.scoped))
        expect(failureOf(exit as never)).toMatchObject({ _tag: "InvalidArgument", argument })
      }
    })
  )
})
