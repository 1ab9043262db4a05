/**
 * The bound on exchanges in flight: at most `max` at a time, the others
 * waiting in arrival order, and "idle" (nothing in flight or waiting) as an
 * Effect that completes when it is so.
 *
 * It is callback code on the sockets' own tick on purpose: starting an
 * exchange on a fiber (an Effect `Semaphore` or token `Queue` in front of
 * it) cost the proxy a quarter more CPU per exchange here, most of it in
 * allocation and GC, for the same behaviour; Effect's `Semaphore` also wakes
 * every waiter on each release. Fibers are kept for the exchanges that wait
 * on something (a decode on zlib's pool, a HAR entry waiting for the disk).
 *
 * @since 0.1.0
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"

/**
 * @internal
 */
export interface Slots {
  /** Starts `begin` now when a slot is free, else once one frees (arrival order). */
  readonly admit: (begin: () => void) => void
  /** One exchange ended (call it exactly once per `begin`): the next waiting one begins. */
  readonly release: () => void
  /** Exchanges in flight or waiting for a slot. */
  readonly inFlight: () => number
  /** Completes when nothing is in flight or waiting (at once if so already). */
  readonly idle: Effect.Effect<void>
  /** Begins every waiting exchange at once, slots or not (their sockets were cut: each ends at once). */
  readonly flush: () => void
}

/**
 * @internal
 */
export const make = (max: number): Slots => {
  let active = 0
  // A FIFO without `shift`'s copying: `head` is the next to begin; compacted when half is spent.
  let waiting: Array<(() => void) | undefined> = []
  let head = 0
  let idle: Deferred.Deferred<void> | undefined
  // A loop, not recursion: an exchange that ends as it begins (its client gone) releases inside `begin`.
  let pumping = false
  let flushing = false
  const queued = () => waiting.length - head
  const next = (): (() => void) | undefined => {
    const begin = waiting[head]
    if (begin === undefined) return undefined
    waiting[head++] = undefined
    if (head > 1024 && head * 2 > waiting.length) {
      waiting = waiting.slice(head)
      head = 0
    }
    return begin
  }
  const pump = () => {
    if (pumping) return
    pumping = true
    try {
      for (let begin = active < max || flushing ? next() : undefined; begin !== undefined; ) {
        active++
        begin()
        begin = active < max || flushing ? next() : undefined
      }
    } finally {
      pumping = false
    }
    if (active === 0 && queued() === 0 && idle !== undefined) {
      Deferred.unsafeDone(idle, Exit.void)
      idle = undefined
    }
  }
  return {
    admit: (begin) => {
      waiting.push(begin)
      pump()
    },
    release: () => {
      active--
      pump()
    },
    inFlight: () => active + queued(),
    idle: Effect.suspend(() => {
      if (active === 0 && queued() === 0) return Effect.void
      idle ??= Deferred.unsafeMake<void>(FiberId.none)
      return Deferred.await(idle)
    }),
    flush: () => {
      flushing = true
      try {
        pump()
      } finally {
        flushing = false
      }
    }
  }
}
