/**
 * The proxy's bound on exchanges in flight: at most `max` begun, the rest
 * begun in arrival order as slots free, "idle" completing exactly when
 * nothing is in flight or waiting, and exchanges that end as they begin
 * (their client gone) released in a loop, never by recursion.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Slots from "../src/internal/sources/proxy/slots.js"

describe("proxy slots", () => {
  it.effect("at most `max` begin; the others begin in arrival order as slots free; idle waits for the last", () =>
    Effect.gen(function* () {
      const slots = Slots.make(2)
      const begun: Array<number> = []
      for (let i = 0; i < 5; i++) slots.admit(() => begun.push(i))
      expect(begun).toEqual([0, 1])
      expect(slots.inFlight()).toBe(5)
      const idle = yield* Effect.fork(slots.idle)
      slots.release()
      expect(begun).toEqual([0, 1, 2])
      slots.release()
      slots.release()
      expect(begun).toEqual([0, 1, 2, 3, 4])
      slots.release()
      expect(Option.isNone(yield* Fiber.poll(idle))).toBe(true)
      slots.release()
      yield* Fiber.join(idle)
      expect(slots.inFlight()).toBe(0)
      // Idle again: at once.
      yield* slots.idle
    })
  )

  it.effect("100,000 waiting exchanges that end as they begin: released in a loop (no stack overflow), then idle", () =>
    Effect.gen(function* () {
      const slots = Slots.make(1)
      let ended = 0
      slots.admit(() => {})
      for (let i = 0; i < 100_000; i++)
        slots.admit(() => {
          ended++
          slots.release()
        })
      slots.release()
      expect(ended).toBe(100_000)
      yield* slots.idle
    })
  )

  it.effect("flush begins every waiting exchange at once, slots or not", () =>
    Effect.gen(function* () {
      const slots = Slots.make(1)
      const begun: Array<number> = []
      for (let i = 0; i < 4; i++) slots.admit(() => begun.push(i))
      slots.flush()
      expect(begun).toEqual([0, 1, 2, 3])
      expect(slots.inFlight()).toBe(4)
      for (let i = 0; i < 4; i++) slots.release()
      yield* slots.idle
    })
  )
})
