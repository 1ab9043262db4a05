/**
 * The secrets a traffic session has seen: every `X-API-KEY` value (each
 * repeat of the header, each comma-joined value), every `api_key` /
 * `x-api-key` query value, and the configured key. Every text the proxy or
 * the HAR reader writes goes through {@link Secrets.mask}, which is the
 * shared `Redaction.scrub` over ALL of them at once (longest first, one
 * pass), so two keys with a shared prefix are both masked entirely.
 *
 * @since 0.1.0
 */
import { AccountsApi, Redaction } from "@postpress/schema"

/** Values shorter than this could be anything (`1`, `x`): masking them would garble reports. */
const MIN_SECRET_LENGTH = 8

const keyHeader = AccountsApi.apiKeyHeader.toLowerCase()
const keyParams: ReadonlySet<string> = new Set(["api_key", "x-api-key", "apikey"])

/**
 * @internal
 */
export interface Secrets {
  /** Remembers the secrets one request carries; returns them (for the judge). */
  readonly addRequest: (rawHeaders: ReadonlyArray<string>, target: string) => ReadonlyArray<string>
  readonly add: (secret: string | undefined) => void
  readonly mask: (text: string) => string
  /** Masks every secret kept AND `extra` (an exchange's own, kept or not: the set is bounded). */
  readonly maskWith: (extra: ReadonlyArray<string>) => (text: string) => string
  readonly size: () => number
}

/**
 * The secrets a request carries: every `X-API-KEY` value and every key-like
 * query value.
 *
 * @internal
 */
export const ofRequest = (rawHeaders: ReadonlyArray<string>, target: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== keyHeader) continue
    const value = rawHeaders[i + 1]!
    found.push(value.trim())
    // A client may fold repeats into one line: each part is a key too.
    if (value.includes(",")) for (const part of value.split(",")) found.push(part.trim())
  }
  const query = target.indexOf("?")
  if (query !== -1) {
    for (const pair of target.slice(query + 1).split(/[&;]/)) {
      const eq = pair.indexOf("=")
      if (eq === -1) continue
      let name = pair.slice(0, eq)
      let value = pair.slice(eq + 1)
      try {
        name = decodeURIComponent(name.replaceAll("+", " "))
        value = decodeURIComponent(value.replaceAll("+", " "))
      } catch {
        // kept as sent: the raw form is what would be echoed
      }
      if (keyParams.has(name.toLowerCase())) found.push(value, pair.slice(eq + 1))
    }
  }
  return found.filter((s) => s.length >= MIN_SECRET_LENGTH)
}

/**
 * @internal
 */
export const make = (configured: string | undefined, max = 10_000): Secrets => {
  const all = new Set<string>()
  // Bounded: a client sending a new key per request must not grow memory without end
  // (an exchange's own keys are still masked in its own outputs, see maskWith).
  const add = (secret: string | undefined) => {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH || all.size >= max) return
    all.add(secret)
  }
  add(configured)
  return {
    add,
    addRequest: (rawHeaders, target) => {
      const found = ofRequest(rawHeaders, target)
      for (const secret of found) add(secret)
      return found
    },
    mask: (text) => (all.size === 0 ? text : Redaction.scrub(text, all)),
    maskWith: (extra) =>
      extra.every((secret) => all.has(secret) || secret.length < MIN_SECRET_LENGTH)
        ? (text) => (all.size === 0 ? text : Redaction.scrub(text, all))
        : (text) => Redaction.scrub(text, [...all, ...extra]),
    size: () => all.size
  }
}
