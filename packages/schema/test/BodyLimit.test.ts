/**
 * The one body limit: its wording, size formatting and parsing, and the
 * bounded stream reader (stop at the limit, or drain counting).
 */
import { expect, it } from "@effect/vitest"
import { BodyLimit } from "@postpress/schema"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import fc from "fast-check"
import { describe } from "vitest"

describe("BodyLimit wording", () => {
  it("describes an over-limit body", () => {
    expect(BodyLimit.defaultMaxBytes).toBe(16 * 1024 * 1024)
    expect(BodyLimit.describe(BodyLimit.defaultMaxBytes, 83_886_080)).toBe(
      "body over the 16 MiB limit (83886080 bytes)"
    )
    expect(BodyLimit.describe(1024, 2000, { complete: false })).toBe("body over the 1 KiB limit (at least 2000 bytes)")
  })

  it.each([
    [512, "512 bytes"],
    [1, "1 byte"],
    [1536, "1.5 KiB"],
    [16 * 1024 * 1024, "16 MiB"],
    [3 * 1024 ** 3, "3 GiB"]
  ])("formats %d as %s", (bytes, text) => {
    expect(BodyLimit.formatBytes(bytes)).toBe(text)
  })

  it.each([
    ["16MiB", 16 * 1024 * 1024],
    ["16 mib", 16 * 1024 * 1024],
    ["512KiB", 512 * 1024],
    ["512k", 512 * 1024],
    ["1000000", 1_000_000],
    ["1MB", 1_000_000],
    ["1.5 KiB", 1536],
    ["2G", 2 * 1024 ** 3]
  ])("parses %s", (text, bytes) => {
    expect(BodyLimit.parseSize(text)).toEqual(Either.right(bytes))
  })

  it.each(["", "abc", "-1", "0", "16 parsecs", "1e9"])("refuses %j with a reason", (text) => {
    const parsed = BodyLimit.parseSize(text)
    expect(Either.isLeft(parsed) && parsed.left).toMatch(/^expected a size/)
  })
})

const chunks = (sizes: ReadonlyArray<number>) =>
  Stream.fromIterable(sizes.map((size, i) => new Uint8Array(size).fill((i % 250) + 1)))

describe("BodyLimit.read", () => {
  it.effect("keeps a body under the limit whole", () =>
    Effect.gen(function* () {
      const read = yield* BodyLimit.read(chunks([3, 4]), { limit: 10, overflow: "stop" })
      expect(read).toMatchObject({ total: 7, over: false, complete: true })
      expect([...read.bytes]).toEqual([1, 1, 1, 2, 2, 2, 2])
    })
  )

  it.effect("drain: counts every byte, keeps only the limit", () =>
    Effect.gen(function* () {
      const read = yield* BodyLimit.read(chunks([6, 6, 6]), { limit: 10, overflow: "drain" })
      expect(read).toMatchObject({ total: 18, over: true, complete: true })
      expect(read.bytes.length).toBe(10)
    })
  )

  it.effect("stop: stops pulling an endless stream at the first chunk over the limit", () =>
    Effect.gen(function* () {
      let pulled = 0
      const endless = Stream.repeatEffectChunk(
        Effect.sync(() => {
          pulled++
          return Chunk.of(new Uint8Array(1000))
        })
      )
      const read = yield* BodyLimit.read(endless, { limit: 4500, overflow: "stop" })
      expect(read).toMatchObject({ total: 5000, over: true, complete: false })
      expect(read.bytes.length).toBe(4500)
      expect(pulled).toBeLessThanOrEqual(6)
    })
  )

  it.effect("a failing stream fails the read", () =>
    Effect.gen(function* () {
      const broken = Stream.concat(chunks([3]), Stream.fail("reset" as const))
      const result = yield* Effect.either(BodyLimit.read(broken, { overflow: "stop" }))
      expect(result).toEqual(Either.left("reset"))
    })
  )
})

describe("BodyLimit.read (properties)", () => {
  it.effect.prop(
    "keeps at most the limit, counts every byte, and stops at most one chunk past it",
    [fc.array(fc.nat(300), { maxLength: 30 }), fc.integer({ min: 1, max: 2000 })],
    ([sizes, limit]) =>
      Effect.gen(function* () {
        const total = sizes.reduce((a, b) => a + b, 0)
        const expected = new Uint8Array(total)
        let at = 0
        sizes.forEach((size, i) => {
          expected.fill((i % 250) + 1, at, at + size)
          at += size
        })
        const drained = yield* BodyLimit.read(chunks(sizes), { limit, overflow: "drain" })
        expect(drained.total).toBe(total)
        expect(drained.over).toBe(total > limit)
        expect(drained.complete).toBe(true)
        expect([...drained.bytes]).toEqual([...expected.subarray(0, Math.min(total, limit))])
        const stopped = yield* BodyLimit.read(chunks(sizes), { limit, overflow: "stop" })
        expect(stopped.over).toBe(total > limit)
        expect(stopped.bytes.length).toBe(Math.min(total, limit))
        // Stopping reads at most one chunk past the limit.
        expect(stopped.total).toBeLessThanOrEqual(total > limit ? limit + 300 : total)
      })
  )
})
