/**
 * A per-attempt timeout that costs less than `Effect.timeoutFail` on the hot
 * path. `timeoutFail` races the effect against a forked sleeping fiber (two
 * forks per call, ~90 µs of CPU here, a third of a loopback request). With
 * the default clock the same race is done with one fork and a plain timer.
 * (The default transport needs neither: it enforces the limit itself, see
 * undici.ts; this is for any other HttpClient.) Under any other Clock (TestClock, a user's clock) virtual time must rule,
 * so the generic `Effect.timeoutFail` is used; the outcome is the same.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"

/** @internal */
export const liveClock: Clock.Clock = Effect.runSync(Clock.clockWith(Effect.succeed))

const withTimer = <A, E, E2>(self: Effect.Effect<A, E>, millis: number, onTimeout: () => E2) =>
  Effect.flatMap(Effect.fork(self), (child) =>
    Effect.async<A, E | E2>((resume) => {
      const timer = setTimeout(() => resume(Effect.zipRight(Fiber.interrupt(child), Effect.fail(onTimeout()))), millis)
      child.addObserver((exit) => {
        clearTimeout(timer)
        resume(exit)
      })
      // The caller was interrupted: stop the timer and the request.
      return Effect.suspend(() => {
        clearTimeout(timer)
        return Fiber.interrupt(child)
      })
    })
  )

/** @internal */
export const timeoutFail = <A, E, E2>(
  self: Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  Effect.clockWith((clock) =>
    clock === liveClock ? withTimer(self, millis, onTimeout) : Effect.timeoutFail(self, { duration: millis, onTimeout })
  )
