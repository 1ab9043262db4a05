/**
 * Test helper: the forms servers and gateways echo an API key in (issue 24),
 * built and looked for INDEPENDENTLY of `Redaction` (Node's `Buffer` for
 * base64, `encodeURIComponent` for percent-encoding), so a test can tell
 * whether a text still holds the key in any of them. Shared by the schema's
 * property tests and the contract-tests end-to-end test.
 */
import fc from "fast-check"

/** Keys as the tools take them: printable ASCII, rich in the characters that encode differently. */
export const keyArb: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom("/", "+", "=", '"', "\\", "%", ":"), fc.char()), { minLength: 8, maxLength: 64 })
  .map((cs) => cs.join(""))

/** `text` percent-encoded `times` times (hex digits lower-cased when `lower`). */
export const percent = (text: string, times: number, lower = false): string => {
  let out = text
  for (let i = 0; i < times; i++) out = encodeURIComponent(out)
  return lower ? out.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()) : out
}

/** `text` as it appears inside a JSON string. */
export const json = (text: string): string => JSON.stringify(text).slice(1, -1)

/** `text` (UTF-8) in base64 or base64url, padded or not. */
export const base64 = (text: string, alphabet: "base64" | "base64url" = "base64", padded = true): string => {
  const encoded = Buffer.from(text, "utf8").toString(alphabet)
  return padded ? encoded.padEnd(Math.ceil(encoded.length / 4) * 4, "=") : encoded.replace(/=+$/, "")
}

/** One echoed form: its name and how it is built from the key (and a user name or prefix). */
export type EchoForm = readonly [name: string, build: (key: string, user: string, lower: boolean) => string]

/** Every form the issue names, one builder each. */
export const echoForms: ReadonlyArray<EchoForm> = [
  ["percent-encoded twice", (k, _u, lower) => percent(k, 2, lower)],
  ["percent-encoded three times", (k, _u, lower) => percent(k, 3, lower)],
  ["JSON inside JSON", (k) => JSON.stringify(JSON.stringify({ detail: `bad key ${k}` }))],
  ["JSON inside JSON inside JSON", (k) => json(json(json(k)))],
  ["JSON-escaped, then percent-encoded", (k, _u, lower) => percent(json(k), 1, lower)],
  ["base64 of the key", (k, _u, lower) => base64(k, "base64", lower)],
  ["base64url of the key", (k, _u, lower) => base64(k, "base64url", lower)],
  ["Basic base64(user:key)", (k, u, lower) => `Basic ${base64(`${u}:${k}`, "base64", lower)}`],
  ["base64url of user:key, unpadded", (k, u) => base64(`${u}:${k}`, "base64url", false)],
  ["base64 of key:", (k) => base64(`${k}:`)],
  ["base64 of a JSON error holding the key", (k, u) => base64(JSON.stringify({ user: u, key: k }))],
  ["base64, JSON-escaped (\\/)", (k, u) => base64(`${u}:${k}`).replaceAll("/", "\\/")],
  ["base64, percent-encoded", (k, u, lower) => percent(base64(`${u}${k}`), 1, lower)],
  ["base64, percent-encoded twice", (k, u, lower) => percent(base64(`${u}${k}`), 2, lower)]
]

/** The three base64 "cores" of `key` in one alphabet: the characters fixed by the key alone at each offset mod 3. */
export const cores = (key: string, alphabet: "base64" | "base64url"): ReadonlyArray<string> => {
  const bytes = Buffer.from(key, "utf8")
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(alphabet)
    return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6))
  })
}

/** How many consecutive characters of the key make a fragment worth hiding (as the suite's hygiene tests count). */
const fragment = 6

/** The key's text forms: raw, JSON-escaped up to three times, percent-encoded up to three times (of raw or JSON). */
const textForms = (text: string): ReadonlyArray<string> => [
  text,
  json(text),
  json(json(text)),
  json(json(json(text))),
  ...[1, 2, 3].flatMap((times) => [percent(text, times), percent(json(text), times)])
]

/**
 * Every form of the key this helper knows, re-encoded; `[text, caseMatters]`:
 * the text forms of every run of {@link fragment} consecutive characters
 * (what is left of a key masked only in part), and the base64 cores.
 */
const knownForms = (key: string): ReadonlyArray<readonly [string, boolean]> => {
  const chars = Array.from(key)
  const runs =
    chars.length <= fragment
      ? [key]
      : chars.slice(0, -fragment + 1).map((_, i) => chars.slice(i, i + fragment).join(""))
  const text = [...new Set(runs.flatMap(textForms))]
  // The key as base64 holds it: raw, or JSON-escaped (a base64 JSON body).
  const encoded = [...new Set([key, json(key)])].flatMap((k) => [...cores(k, "base64"), ...cores(k, "base64url")])
  const base64Forms = encoded.flatMap((core) => [core, core.replaceAll("/", "\\/"), percent(core, 1), percent(core, 2)])
  return [...text.map((f) => [f, false] as const), ...base64Forms.map((f) => [f, true] as const)]
}

/** The first form of the key (or of six consecutive characters of it) that `text` still holds, if any. */
export const leftIn = (text: string, key: string): string | undefined => {
  const lower = text.toLowerCase()
  return knownForms(key).find(([form, caseMatters]) =>
    caseMatters ? text.includes(form) : lower.includes(form.toLowerCase())
  )?.[0]
}
