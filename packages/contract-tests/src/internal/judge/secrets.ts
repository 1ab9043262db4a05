/**
 * The secrets a traffic session has seen: every `X-API-KEY` value (each
 * repeat of the header, each comma-joined value), every `api_key` /
 * `x-api-key` query value, the credentials of an `Authorization` header
 * (a client that sends the key as a bearer token or a Basic password), and
 * the configured key. Every text the proxy or the HAR reader writes goes
 * through {@link Secrets.mask}, which is the shared `Redaction.scrub` over
 * ALL of them at once (longest first, one pass), so two keys with a shared
 * prefix are both masked entirely, in every form a server echoes them (raw,
 * JSON, percent-encoded, nested, base64).
 *
 * @since 0.1.0
 */
import { AccountsApi, Redaction } from "@postpress/schema"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
// The judge's shortest key is the shortest secret: shorter values could be anything (`1`, `x`), masking them would garble reports.
import { MIN_KEY_LENGTH } from "./judge.js"

const keyHeader = AccountsApi.apiKeyHeader.toLowerCase()
/**
 * How many secrets a session remembers across exchanges. Every text is
 * scanned for all of them: at 1,000 keys a line costs about 13 ms (at 10,000,
 * about 100 ms), so a client sending a new key per request cannot slow every
 * later exchange without end; past the bound an exchange's own keys are still
 * masked in its own outputs (see `maskWith`).
 */
const MAX_REMEMBERED = 1_000
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

/** The credentials of an `Authorization` value: a bearer token, or a Basic pair and its password. */
const authorizationSecrets = (value: string): ReadonlyArray<string> => {
  const [scheme = "", credentials = ""] = value.trim().split(/\s+/, 2)
  if (scheme.toLowerCase() !== "basic") return credentials === "" ? [] : [credentials]
  const decoded = Encoding.decodeBase64String(credentials)
  if (Either.isLeft(decoded)) return [credentials]
  const colon = decoded.right.indexOf(":")
  return colon === -1 ? [decoded.right] : [decoded.right, decoded.right.slice(colon + 1)]
}

/**
 * The secrets a request carries: every `X-API-KEY` value, the credentials of
 * an `Authorization` header and every key-like query value.
 *
 * @internal
 */
export const ofRequest = (rawHeaders: ReadonlyArray<string>, target: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase()
    if (name === "authorization" || name === "proxy-authorization")
      found.push(...authorizationSecrets(rawHeaders[i + 1]!))
    if (name !== keyHeader) continue
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
  return found.filter((s) => s.length >= MIN_KEY_LENGTH)
}

/** How many first characters `a` and `b` share. */
const sharedPrefixLength = (a: string, b: string): number => {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/**
 * @internal
 */
export const make = (configured: string | undefined, max = MAX_REMEMBERED): Secrets => {
  const all = new Set<string>()
  // Bounded: a client sending a new key per request must not grow memory without end
  // (an exchange's own keys are still masked in its own outputs, see maskWith).
  const add = (secret: string | undefined) => {
    if (secret === undefined || secret.length < MIN_KEY_LENGTH || all.size >= max || all.has(secret)) return
    // A text masked before this secret was seen may hold it already cut: a known key sharing its first
    // characters (every `pp_live_` key does) masked that shared run as a cut-short echo of itself, and left
    // the rest (`***LATE_KEY…`). Those remnants are secrets too, so a session's last pass masks them whole.
    for (const known of [...all]) {
      const shared = sharedPrefixLength(known, secret)
      if (shared >= Redaction.minRun && shared < secret.length && all.size < max - 1)
        all.add(`${Redaction.mask}${secret.slice(shared)}`)
    }
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
      extra.every((secret) => all.has(secret) || secret.length < MIN_KEY_LENGTH)
        ? (text) => (all.size === 0 ? text : Redaction.scrub(text, all))
        : (text) => Redaction.scrub(text, [...all, ...extra]),
    size: () => all.size
  }
}
