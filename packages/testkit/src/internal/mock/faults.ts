/**
 * Fault injection. Server-wide by options (a rate, the statuses to draw from,
 * a latency, a `Retry-After`), and per request by headers so a test can script
 * an exact sequence:
 *
 * - `x-mock-fault: 503,503,200` — the steps of a script, one per request.
 *   A step is `200` or `pass` (answer normally), a documented error status
 *   (`400`, `401`, `404`, `500`, `503`, `504`), a status with a type
 *   (`503:errors/no_channel`, the type must belong to that tier), `429`
 *   (Too Many Requests, always with a `Retry-After`: the spec documents no
 *   429, but gateways send it and clients must wait and retry), or `reset`
 *   (destroy the connection without answering).
 * - `x-mock-sequence: <id>` — requests sharing the id walk the script one
 *   step each; after the last step they pass. Without it, only the first step
 *   applies (to every request carrying the header).
 *
 * Random faults (`faultRate`) are drawn per request from the seed and the
 * request's identity: the n-th request of a sequence id (when the request
 * carries `x-mock-sequence`), else the n-th request the server received. No
 * PRNG state is shared between requests, so a request's draw does not depend
 * on what other requests were in flight; a client that tags its requests
 * gets the same faults on every run with the same seed, whatever the order
 * in which they arrive.
 * - `x-mock-retry-after: <seconds>` — a `Retry-After` on this request's fault.
 * - `x-mock-delay: <ms>` — wait before answering (up to 60 s).
 * - `x-mock-extra-fields: 1` — the account comes with fields no spec version
 *   defines (forward-compatibility testing); `0` is the same as leaving it out.
 * - `x-mock-unknown-type: 1` — the account comes as a provider type none of
 *   the 14 (`MOCK_LATER_PROVIDER`, with `connection_params` of its own), as
 *   the API's next provider would: a reader proves it survives one (with
 *   `unknownTypes: "keep"`); `0` is the same as leaving it out.
 *
 * @since 0.1.0
 */
import { ErrorCatalogue } from "@postpress/schema"
import { nextInstance, reasons } from "./envelopes.js"

/**
 * What to do with one request.
 *
 * @internal
 */
export type Step =
  | { readonly _tag: "Pass" }
  | { readonly _tag: "Reset" }
  | { readonly _tag: "Error"; readonly type: ErrorCatalogue.ErrorType; readonly retryAfter: number | undefined }
  | { readonly _tag: "Throttle"; readonly retryAfter: number }

/**
 * Header names, lower case as Node delivers them.
 *
 * @since 0.1.0
 * @category constants
 */
export const headers = {
  fault: "x-mock-fault",
  sequence: "x-mock-sequence",
  retryAfter: "x-mock-retry-after",
  delay: "x-mock-delay",
  extraFields: "x-mock-extra-fields",
  unknownType: "x-mock-unknown-type"
} as const

const pass: Step = { _tag: "Pass" }

/**
 * The throttling status the mock can script (not in the spec's catalogue).
 *
 * @internal
 */
export const throttleStatus = 429

/**
 * Seconds of `Retry-After` on a scripted 429 when neither the request nor the
 * server names any: a 429 without it would teach a client nothing.
 *
 * @internal
 */
export const defaultThrottleSeconds = 1

/**
 * The type a fault of `status` carries when the script names none: retryable
 * types for 503/504 (`no_client_session` would tell clients not to retry).
 *
 * @internal
 */
export const defaultType = (status: ErrorCatalogue.ErrorStatus): ErrorCatalogue.ErrorType =>
  status === 503
    ? reasons.fault503
    : status === 504
      ? reasons.fault504
      : status === 500
        ? reasons.fault500
        : ErrorCatalogue.typesOf(status)[0]!

/**
 * Parses one step; a string is an error message for the client.
 *
 * @internal
 */
export const parseStep = (raw: string, retryAfter: number | undefined): Step | string => {
  const text = raw.trim()
  if (text === "200" || text === "pass") return pass
  if (text === "reset") return { _tag: "Reset" }
  if (text === String(throttleStatus)) return { _tag: "Throttle", retryAfter: retryAfter ?? defaultThrottleSeconds }
  const [statusText = "", type] = text.split(":", 2) as [string, string | undefined]
  const status = Number(statusText)
  if (!ErrorCatalogue.isErrorStatus(status)) {
    return `unknown step ${JSON.stringify(text)}: use 200, pass, reset, ${throttleStatus}, or one of ${ErrorCatalogue.errorStatuses.join(", ")}`
  }
  if (type === undefined) return { _tag: "Error", type: defaultType(status), retryAfter }
  const entry = ErrorCatalogue.lookup(type)
  if (entry === undefined || entry.status !== status) {
    return `${JSON.stringify(type)} is not a documented ${status} type: ${ErrorCatalogue.typesOf(status).join(", ")}`
  }
  return { _tag: "Error", type: entry.type, retryAfter }
}

/**
 * Parses a whole `x-mock-fault` script.
 *
 * @internal
 */
export const parseScript = (raw: string, retryAfter: number | undefined): ReadonlyArray<Step> | string => {
  const steps: Array<Step> = []
  for (const part of raw.split(",")) {
    const step = parseStep(part, retryAfter)
    if (typeof step === "string") return step
    steps.push(step)
  }
  return steps
}

/**
 * Parses a non-negative integer header (seconds or milliseconds).
 *
 * @internal
 */
export const parseCount = (raw: string | undefined, max: number): number | undefined | string => {
  if (raw === undefined) return undefined
  const n = Number(raw.trim())
  return Number.isInteger(n) && n >= 0 && n <= max
    ? n
    : `expected an integer from 0 to ${max}, got ${JSON.stringify(raw)}`
}

/** FNV-1a over UTF-16 code units: a request identity as a 32-bit number. */
const hashOf = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** mulberry32's output step: a well-mixed uniform number in [0, 1) from a 32-bit state. */
const mix = (state: number): number => {
  let t = (state + 0x6d2b79f5) >>> 0
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/**
 * Draw number `k` of the request `identity` under `seed`: a pure function,
 * so the same seed and identity always draw the same.
 *
 * @internal
 */
export const draw = (seed: number, identity: string, k: number): number =>
  mix((Math.imul(seed ^ 0x5eed, 0x9e3779b1) ^ hashOf(identity) ^ Math.imul(k + 1, 0x85ebca6b)) >>> 0)

/**
 * Server-wide fault settings.
 *
 * @internal
 */
export interface FaultConfig {
  readonly seed: number
  readonly rate: number
  readonly statuses: ReadonlyArray<ErrorCatalogue.ErrorStatus>
  readonly retryAfter: number | undefined
}

const maxSequences = 10_000

/** Advances a bounded cursor map (oldest key forgotten first) and returns the previous position. */
const advance = (cursors: Map<string, number>, key: string): number => {
  const cursor = cursors.get(key) ?? 0
  cursors.delete(key)
  cursors.set(key, cursor + 1)
  if (cursors.size > maxSequences) cursors.delete(cursors.keys().next().value!)
  return cursor
}

/**
 * The fault state of one server: the cursors of sequences (bounded, oldest
 * forgotten first, so a long-lived mock does not grow) and a request counter
 * for untagged requests. Random draws hold no state of their own.
 *
 * @internal
 */
export const makeInjector = (config: FaultConfig) => {
  const scripted = new Map<string, number>()
  const tagged = new Map<string, number>()
  let untagged = 0
  const randomStep = (identity: string): Step => {
    if (config.rate <= 0 || config.statuses.length === 0 || draw(config.seed, identity, 0) >= config.rate) return pass
    const status = config.statuses[Math.floor(draw(config.seed, identity, 1) * config.statuses.length)]!
    return { _tag: "Error", type: defaultType(status), retryAfter: config.retryAfter }
  }
  return {
    /** The step for a request, or an error message when its fault headers are malformed. */
    next: (get: (name: string) => string | undefined): Step | string => {
      const script = get(headers.fault)
      const sequence = get(headers.sequence)
      if (script === undefined) {
        if (config.rate <= 0) return pass
        return randomStep(sequence === undefined ? `#${untagged++}` : `${sequence}#${advance(tagged, sequence)}`)
      }
      const retryAfter = parseCount(get(headers.retryAfter), 86_400)
      if (typeof retryAfter === "string") return `${headers.retryAfter}: ${retryAfter}`
      const steps = parseScript(script, retryAfter ?? config.retryAfter)
      if (typeof steps === "string") return `${headers.fault}: ${steps}`
      if (sequence === undefined) return steps[0] ?? pass
      return steps[advance(scripted, sequence)] ?? pass
    }
  }
}

/**
 * The body of a scripted 429: an envelope of the generic shape (the spec's
 * catalogue has no 429 type), with a fresh request id.
 *
 * @internal
 */
export const throttleBody = (): string =>
  JSON.stringify({
    title: "Too Many Requests",
    detail: "Rate limit reached (scripted by x-mock-fault: 429). Wait for Retry-After, then retry.",
    instance: nextInstance(),
    type: "errors/too_many_requests",
    status: throttleStatus
  })

/**
 * `undefined` when a switch header's value (`x-mock-extra-fields`,
 * `x-mock-unknown-type`) is absent, `1` or `0`; else the message for the
 * client.
 *
 * @internal
 */
export const switchProblem = (header: string, value: string | undefined): string | undefined =>
  value === undefined || value === "1" || value === "0"
    ? undefined
    : `${header}: expected 1 or 0, got ${JSON.stringify(value)}`
