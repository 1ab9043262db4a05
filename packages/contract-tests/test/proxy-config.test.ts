/**
 * The proxy's and the HAR reader's options are ONE Schema each
 * (`ContractProxy.Config`, `ContractHar.Config`): defaults applied, each
 * rule's message written once (the CLI prefixes the flag), every refused
 * option named at once; and each failure to start is its own tagged error
 * with its facts as fields (`CannotListen`, `HarNotWritten`,
 * `HarUnreadable`, `NotAHar`, `ReportsNotWritten`).
 */
import * as Fs from "node:fs"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import { BaseUrl, BodyLimit } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { afterAll } from "vitest"
import * as ContractHar from "../src/ContractHar.js"
import * as ContractProxy from "../src/ContractProxy.js"

const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "proxy-config-"))
afterAll(() => Fs.rmSync(tmp, { recursive: true, force: true }))

const decodeProxy = Schema.decodeUnknownEither(ContractProxy.Config)

/** The issues a refused config gives, as `path: message` (the form the CLI prints after the flag). */
const issuesOf = <A>(effect: Effect.Effect<A, unknown, never>) =>
  Effect.flip(effect).pipe(
    Effect.map((error) => {
      expect(error).toBeInstanceOf(ContractProxy.InvalidConfig)
      return (error as ContractProxy.InvalidConfig).issues.map((i) => `${i.path.join(".")}: ${i.message}`)
    })
  )

/** A port bound by someone else, released when the scope closes. */
const busyPort = Effect.acquireRelease(
  Effect.promise(async () => {
    const server = Http.createServer()
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    return server
  }),
  (server) => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
).pipe(Effect.map((server) => (server.address() as AddressInfo).port))

describe("ContractProxy.Config", () => {
  it("applies the defaults and the base-URL rule's normal form", () => {
    const config = Either.getOrThrow(decodeProxy({ target: "http://127.0.0.1:9/api/" }))
    expect(config).toMatchObject({
      target: "http://127.0.0.1:9/api",
      host: "127.0.0.1",
      port: 0,
      strict: false,
      failOnDrift: false,
      maxConcurrent: 64,
      maxBodyBytes: BodyLimit.defaultMaxBytes
    })
    expect(Duration.toMillis(config.upstreamTimeout)).toBe(30_000)
    expect(Duration.toMillis(config.drain)).toBe(10_000)
    expect(config.maxRequests).toBeUndefined()
  })

  it("takes sizes as text in the --max-body-size grammar and durations as Effect takes them", () => {
    const config = Either.getOrThrow(
      decodeProxy({ target: "http://h", maxBodyBytes: "1.5MiB", upstreamTimeout: 250, drain: "0 millis" })
    )
    expect(config.maxBodyBytes).toBe(1.5 * 1024 * 1024)
    expect(Duration.toMillis(config.upstreamTimeout)).toBe(250)
    expect(Duration.toMillis(config.drain)).toBe(0)
  })

  it.effect("names every refused option at once, in the Schema's order, each with its rule's one message", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf(
        ContractProxy.make({
          target: "https://api.example.com/api?x",
          port: 70_000,
          maxRequests: 0,
          maxConcurrent: 1.5,
          maxBodyBytes: "12 parsecs",
          upstreamTimeout: 0,
          // Untyped input (a config file, JSON) can hold anything.
          drain: "soon" as Duration.DurationInput
        }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
      )
      expect(issues).toEqual([
        `target: ${Either.flip(BaseUrl.parse("https://api.example.com/api?x")).pipe(Either.getOrThrow)}`,
        "port: expected a port, an integer from 0 to 65535 (0: a free one), got 70000",
        "maxRequests: expected an integer ≥ 1, got 0",
        "maxConcurrent: expected an integer ≥ 1, got 1.5",
        `maxBodyBytes: ${Either.flip(BodyLimit.parseSize("12 parsecs")).pipe(Either.getOrThrow)}`,
        'upstreamTimeout: expected a positive duration or Duration.infinity (e.g. "30 seconds" or milliseconds), got 0',
        'drain: expected a duration ≥ 0 or Duration.infinity (e.g. "30 seconds" or milliseconds), got "soon"'
      ])
    })
  )

  it.effect("a target that is not a URL: InvalidConfig with the BaseUrl rule's message; nothing listens", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        ContractProxy.run({ target: "not a url" }).pipe(Effect.provide(NodeFileSystem.layer))
      )
      expect(error._tag).toBe("InvalidConfig")
      expect(error.message).toBe('target: not an absolute URL: "not a url"')
    })
  )
})

describe("the proxy's errors", () => {
  it.scoped("a port in use: CannotListen with the host, the port and the system's code", () =>
    Effect.gen(function* () {
      const port = yield* busyPort
      const error = yield* Effect.flip(
        ContractProxy.make({ target: "http://127.0.0.1:9", port }).pipe(Effect.provide(NodeFileSystem.layer))
      )
      expect(error._tag).toBe("CannotListen")
      expect(error).toMatchObject({ host: "127.0.0.1", port, code: "EADDRINUSE" })
      expect(error.message).toMatch(new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: `))
    })
  )

  it.scoped("a --har file that cannot be opened: HarNotWritten naming it; nothing listens", () =>
    Effect.gen(function* () {
      const har = Path.join(tmp, "no-such-folder", "t.har")
      const error = yield* Effect.flip(
        ContractProxy.make({ target: "http://127.0.0.1:9", har }).pipe(Effect.provide(NodeFileSystem.layer))
      )
      expect(error._tag).toBe("HarNotWritten")
      expect(error).toMatchObject({ path: har })
      expect(error.message).toMatch(/^cannot write .*t\.har: .*ENOENT|no such file/i)
    })
  )

  it.live("reports that cannot be written: ReportsNotWritten, one failure each, after the session ran", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        ContractProxy.run({ target: "http://127.0.0.1:9", json: tmp, maxRequests: 1 }, { until: Effect.void }).pipe(
          Effect.provide(NodeFileSystem.layer)
        )
      )
      expect(error._tag).toBe("ReportsNotWritten")
      if (error._tag !== "ReportsNotWritten") return
      expect(error.failures).toHaveLength(1)
      expect(error.message).toContain(`cannot write ${tmp}`)
    })
  )
})

describe("ContractHar.Config and the HAR reader's errors", () => {
  const harFile = (name: string, text: string) => {
    const file = Path.join(tmp, name)
    Fs.writeFileSync(file, text)
    return file
  }

  it.effect("no file, or a base URL the BaseUrl rule refuses: InvalidConfig naming the field", () =>
    Effect.gen(function* () {
      const none = yield* Effect.flip(ContractHar.read({ files: [] }).pipe(Effect.provide(NodeFileSystem.layer)))
      expect(none.message).toBe("files: expected at least one HAR file path, got []")
      const query = yield* Effect.flip(
        ContractHar.judgeDocuments([], { baseUrl: "https://api.example.com/api?", maxBodyBytes: 0 })
      )
      expect(query._tag).toBe("InvalidConfig")
      expect(query.message).toBe(
        "baseUrl: must not have a query (?); maxBodyBytes: expected a size of at least 1 byte, got 0"
      )
    })
  )

  it.effect("a file that is not JSON: NotAHar with why (the JSON parser's words), one line", () =>
    Effect.gen(function* () {
      const file = harFile("nope.har", "{ nope")
      const error = yield* Effect.flip(ContractHar.read({ files: [file] }).pipe(Effect.provide(NodeFileSystem.layer)))
      expect(error._tag).toBe("NotAHar")
      if (error._tag !== "NotAHar") return
      expect(error.notJson).toBeDefined()
      expect(error.issue).toBeUndefined()
      expect(error.message).toBe(`${file}: not a HAR file (not JSON: ${error.notJson})`)
    })
  )

  it.effect("JSON that is not HAR 1.2: NotAHar with where, what was expected and found, and how many more", () =>
    Effect.gen(function* () {
      const text = JSON.stringify({ log: { version: "1.2", entries: [{ request: 5, response: {} }] } })
      const error = yield* Effect.flip(
        ContractHar.judgeDocuments([{ file: "bad.har", text }]).pipe(Effect.provide(NodeFileSystem.layer))
      )
      expect(error._tag).toBe("NotAHar")
      if (error._tag !== "NotAHar") return
      expect(error.issue).toEqual({ at: "log.entries[0].request", expected: "an object", actual: "5", more: 3 })
      expect(error.message).toBe(
        "bad.har: not a HAR 1.2 file (log.entries[0].request: expected an object, got 5, and 3 more)"
      )
    })
  )

  it.effect("a file that cannot be read: HarUnreadable with the system's code", () =>
    Effect.gen(function* () {
      const missing = Path.join(tmp, "missing.har")
      const error = yield* Effect.flip(
        ContractHar.read({ files: [missing] }).pipe(Effect.provide(NodeFileSystem.layer))
      )
      expect(error).toMatchObject({ _tag: "HarUnreadable", path: missing, code: "ENOENT" })
      expect(error.message).toBe(`${missing}: cannot read (ENOENT)`)
    })
  )
})
