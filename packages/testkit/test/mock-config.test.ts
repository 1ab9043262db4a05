/**
 * `MockServer.Config`, the ONE Schema of the mock's options: its defaults,
 * each rule's message (the same text the CLI shows after the flag's name),
 * every refused option reported at once by `make` as `MockInvalidOptions`
 * before anything listens, and the errors' derived messages.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import { ErrorCatalogue } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as MockServer from "../src/MockServer.js"

const decode = Schema.decodeUnknownEither(MockServer.Config)

/** The shared rules' words (`ConfigRules` of `@postpress/schema`). */
const portRule = "expected a port, an integer from 0 to 65535 (0: a free one)"
const latencyRule = 'expected a duration ≥ 0 (e.g. "30 seconds" or milliseconds)'

/** What `make` refuses `options` with; a file system that fails every call, so nothing is touched. */
const refusal = (options: unknown) =>
  MockServer.make(options as MockServer.Options).pipe(
    Effect.scoped,
    Effect.flip,
    Effect.provide(FileSystem.layerNoop({}))
  )

describe("MockServer.Config", () => {
  it("fills every default: a free port, seed 42, two workspaces, no faults, no latency, no coverage", () => {
    expect(decode({})).toEqual(
      Either.right({
        port: 0,
        seed: 42,
        workspaces: 2,
        faultRate: 0,
        faults: [503, 504],
        latency: Duration.zero,
        coverage: false
      })
    )
  })

  it("takes the latency as any Duration input", () => {
    for (const input of [50, "50 millis", Duration.millis(50), [0, 50_000_000] as const]) {
      const decoded = decode({ latency: input })
      expect(Either.isRight(decoded) && Duration.toMillis(decoded.right.latency)).toBe(50)
    }
  })

  it.effect.each([
    [{ port: 70000 }, "port", `${portRule}, got 70000`],
    [{ port: 1.5 }, "port", `${portRule}, got 1.5`],
    [{ port: "80" }, "port", `${portRule}, got "80"`],
    [{ seed: 0.5 }, "seed", "expected an integer, got 0.5"],
    [{ workspaces: 1 }, "workspaces", "expected an integer from 2 to 8, got 1"],
    [{ workspaces: 9 }, "workspaces", "expected an integer from 2 to 8, got 9"],
    [{ faultRate: 2 }, "faultRate", "expected a probability from 0 to 1, got 2"],
    [{ faultRate: Number.NaN }, "faultRate", "expected a probability from 0 to 1, got NaN"],
    [
      { faults: [503, 418] },
      "faults",
      `expected documented error statuses (${ErrorCatalogue.errorStatuses.join(", ")}), got [503,418]`
    ],
    [{ latency: "soon" }, "latency", `${latencyRule}, got "soon"`],
    [{ latency: -50 }, "latency", `${latencyRule}, got -50`],
    [{ latency: Duration.infinity }, "latency", `${latencyRule}, got Duration(Infinity)`],
    [{ retryAfter: -1 }, "retryAfter", "expected an integer ≥ 0, got -1"],
    [{ coverage: "yes" }, "coverage", 'expected true or false, got "yes"'],
    [{ coverageFile: "" }, "coverageFile", 'expected a file path, got ""'],
    [{ tamper: 3 }, "tamper", "expected a function, got 3"]
  ] as const)("%j: %s %s", ([options, option, message]) =>
    Effect.gen(function* () {
      const error = yield* refusal(options)
      expect(error).toBeInstanceOf(MockServer.MockInvalidOptions)
      expect(error).toMatchObject({ _tag: "MockInvalidOptions", issues: [{ path: [option], message }] })
      expect(error.message).toBe(`mock server: ${option}: ${message}`)
    })
  )

  it.effect("every refused option at once, in the Schema's order; a non-object is refused as a whole", () =>
    Effect.gen(function* () {
      const error = yield* refusal({ retryAfter: -1, port: 70000, faultRate: 2 })
      expect(error._tag === "MockInvalidOptions" && error.issues.map((issue) => issue.path)).toEqual([
        ["port"],
        ["faultRate"],
        ["retryAfter"]
      ])
      expect(error.message).toBe(
        `mock server: port: ${portRule}, got 70000; faultRate: expected a probability from 0 to 1, got 2; retryAfter: expected an integer ≥ 0, got -1`
      )
      expect((yield* refusal(null)).message).toBe("mock server: expected an object of options, got null")
    })
  )

  it.prop(
    "any valid options decode; decoding a decoded config again changes nothing (the CLI may decode, then pass it on)",
    [
      FastCheck.record(
        {
          port: FastCheck.integer({ min: 0, max: 65535 }),
          seed: FastCheck.integer(),
          workspaces: FastCheck.integer({ min: 2, max: 8 }),
          faultRate: FastCheck.double({ min: 0, max: 1, noNaN: true }),
          faults: FastCheck.subarray([...ErrorCatalogue.errorStatuses]),
          latency: FastCheck.nat({ max: 60_000 }),
          retryAfter: FastCheck.nat({ max: 86_400 }),
          coverage: FastCheck.boolean()
        },
        { requiredKeys: [] }
      )
    ],
    ([options]) => {
      const once = decode(options)
      expect(Either.isRight(once)).toBe(true)
      if (Either.isRight(once)) expect(decode(once.right)).toEqual(once)
    }
  )

  it.scoped("make takes a decoded config as it is, without decoding it again", () =>
    Effect.gen(function* () {
      // Built without validation: a decode would refuse 9 workspaces, so a mock holding 9 proves none ran.
      const unchecked = new MockServer.Config({ workspaces: 9 }, true)
      const mock = yield* MockServer.make(unchecked)
      expect(mock.workspaces).toHaveLength(9)
      const decoded = Either.getOrThrow(decode({ workspaces: 3 }))
      expect(decoded).toBeInstanceOf(MockServer.Config)
      expect((yield* MockServer.make(decoded)).workspaces).toHaveLength(3)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.prop(
    "any port outside 0–65535 is refused with the port rule's message",
    [FastCheck.oneof(FastCheck.integer({ max: -1 }), FastCheck.integer({ min: 65536 }))],
    ([port]) => {
      const decoded = decode({ port })
      expect(Either.isLeft(decoded)).toBe(true)
      expect(String(Either.isLeft(decoded) && decoded.left.message)).toContain(`${portRule}, got ${port}`)
    }
  )
})

describe("the mock's errors", () => {
  it("derive their message from their fields; detail is the message without the `mock server: ` prefix", () => {
    const busy = new MockServer.MockCannotListen({ host: "127.0.0.1", port: 4010, code: "EADDRINUSE" })
    expect(busy.detail).toBe("cannot listen on 127.0.0.1:4010: the port is in use (EADDRINUSE)")
    expect(busy.message).toBe(`mock server: ${busy.detail}`)
    expect(new MockServer.MockCannotListen({ host: "127.0.0.1", port: 80, code: "EACCES" }).detail).toBe(
      "cannot listen on 127.0.0.1:80: permission denied (EACCES)"
    )
    expect(new MockServer.MockCannotListen({ host: "127.0.0.1", port: 1, code: "EWHATEVER" }).detail).toBe(
      "cannot listen on 127.0.0.1:1: error (EWHATEVER)"
    )
    expect(new MockServer.MockCannotListen({ host: "127.0.0.1", port: 1 }).detail).toBe(
      "cannot listen on 127.0.0.1:1: the server did not start"
    )
    const unwritten = new MockServer.MockCoverageNotWritten({ path: "/x/c.json", reason: "PermissionDenied" })
    expect(unwritten.message).toBe("mock server: cannot write the coverage report to /x/c.json (PermissionDenied)")
  })

  it("encode to their fields (a log or a report can carry them as data)", () => {
    const invalid = new MockServer.MockInvalidOptions({
      issues: [{ path: ["port"], message: `${portRule}, got 70000` }]
    })
    expect(Schema.encodeSync(MockServer.MockInvalidOptions)(invalid)).toEqual({
      _tag: "MockInvalidOptions",
      issues: [{ path: ["port"], message: `${portRule}, got 70000` }]
    })
  })
})
