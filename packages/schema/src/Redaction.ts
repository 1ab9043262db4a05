/**
 * THE masking function: everything a tool keeps or prints (errors, logs,
 * spans, reports, CLI output) goes through {@link scrub} so that no secret
 * (the API key, a near-miss key) survives in any form a server can echo it.
 *
 * A secret is found in every form, character by character: raw, in any letter
 * case, JSON-escaped (`\"`, `\\`, `\/`, `\uXXXX` in either hex case, as a
 * server that escapes only what it must or everything non-ASCII writes it),
 * and percent-encoded (UTF-8 bytes as `%XX`, either hex case, whether the
 * encoder escapes only reserved characters or all of them); the forms may
 * even mix within one echo. A secret cut short by truncation is found too:
 * any run of at least {@link minRun} of its leading characters.
 *
 * Letter case is compared character by character (simple case folding: a
 * change of case that changes the length, like `ß` to `SS`, is not followed;
 * keys are ASCII).
 *
 * Every match is replaced whole by {@link mask}, in ONE left-to-right pass
 * where, at each position, the longest match over all secrets wins: two
 * secrets sharing a prefix are both masked entirely, and a mask is never
 * re-scanned.
 *
 * Empty secrets are ignored. Secrets shorter than {@link minRun} characters
 * are masked whole only (a short run of their characters is too likely to be
 * a coincidence). The tools refuse keys shorter than 8 characters before
 * sending them, so every real key also gets the truncation guard.
 *
 * @since 0.1.0
 */

/**
 * What a masked secret is replaced with.
 *
 * @since 0.1.0
 * @category constants
 */
export const mask = "***"

/**
 * The shortest run of a secret's leading characters that is masked when the
 * secret appears cut short (shorter runs are too likely to be coincidence).
 *
 * @since 0.1.0
 * @category constants
 */
export const minRun = 6

// Syntax characters only: the head matcher runs in Unicode mode, where other escapes are errors.
const regexEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")

const hex4 = (unit: number): string => unit.toString(16).padStart(4, "0")

const utf8 = new TextEncoder()

/** Every way one character (a code point, or a lone surrogate) can be written in an echo, as literal text. */
const formsOf = (ch: string): ReadonlyArray<string> => {
  const forms = new Set<string>([ch, JSON.stringify(ch).slice(1, -1)])
  if (ch === "/") forms.add("\\/")
  // \uXXXX for every UTF-16 unit: the form of any character in JSON.
  let units = ""
  for (let i = 0; i < ch.length; i++) units += `\\u${hex4(ch.charCodeAt(i))}`
  forms.add(units)
  // %XX for every UTF-8 byte (a lone surrogate encodes as U+FFFD).
  let bytes = ""
  for (const byte of utf8.encode(ch)) bytes += `%${byte.toString(16).padStart(2, "0")}`
  forms.add(bytes)
  // A space percent-encoded as a form field.
  if (ch === " ") forms.add("+")
  return [...forms]
}

const alternation = (forms: ReadonlyArray<string>): string => `(?:${forms.map(regexEscape).join("|")})`

const sameLetter = (a: string, b: string): boolean =>
  a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase()

const isSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdfff

/** Code point by code point (for letters outside the BMP, such as Deseret, which have case too). */
const sameIgnoringCase = (a: string, b: string): boolean => {
  const left = Array.from(a)
  const right = Array.from(b)
  return left.length === right.length && left.every((c, i) => sameLetter(c, right[i]!))
}

/** Whether `form` is written in `text` at `at`, letter case aside. */
const formAt = (text: string, at: number, form: string): boolean => {
  if (at + form.length > text.length) return false
  for (let i = 0; i < form.length; i++) {
    const a = text.charCodeAt(at + i)
    const b = form.charCodeAt(i)
    if (a === b) continue
    if (isSurrogate(a) || isSurrogate(b)) return sameIgnoringCase(text.slice(at, at + form.length), form)
    if (!sameLetter(text[at + i]!, form[i]!)) return false
  }
  return true
}

/** One secret, as the forms of each of its characters. */
type Compiled = ReadonlyArray<ReadonlyArray<string>>

interface Matcher {
  /** Finds where some secret may start: the heads of all secrets, one alternation. */
  readonly heads: RegExp
  readonly secrets: ReadonlyArray<Compiled>
}

const compile = (secrets: ReadonlyArray<string>): Matcher => {
  // Array.from splits by code point and keeps lone surrogates as characters of their own.
  const compiled = secrets.map((secret) => Array.from(secret, formsOf))
  const heads = compiled.map((chars) => chars.slice(0, minRun).map(alternation).join(""))
  // Unicode mode: case folding reaches letters outside the BMP; lone surrogates still match themselves.
  return { heads: new RegExp(heads.join("|"), "giu"), secrets: compiled }
}

// Callers scrub many texts with the same few secrets: keep the last matcher.
let cachedKey: string | undefined
let cached: Matcher | undefined

const matcherFor = (secrets: ReadonlyArray<string>): Matcher => {
  const key = JSON.stringify(secrets)
  if (key !== cachedKey || cached === undefined) {
    cached = compile(secrets)
    cachedKey = key
  }
  return cached
}

/**
 * Where the longest echo of one secret starting at `at` ends (`at` when none
 * does): the whole secret, or (a secret of at least {@link minRun}
 * characters) a run of at least {@link minRun} of its leading characters.
 * Forms of one character can be prefixes of each other (a raw backslash and
 * its JSON escape), so every path is explored, each (position, character)
 * once, and the farthest end wins.
 */
const longestEcho = (chars: Compiled, text: string, at: number, needed = Math.min(minRun, chars.length)): number => {
  let best = at
  const seen = new Set<number>()
  const stack: Array<readonly [number, number]> = [[at, 0]]
  while (stack.length > 0) {
    const [pos, index] = stack.pop()!
    if (index >= needed && pos > best) best = pos
    if (index === chars.length) continue
    for (const form of chars[index]!) {
      if (!formAt(text, pos, form)) continue
      const next = pos + form.length
      const id = next * (chars.length + 1) + index + 1
      if (seen.has(id)) continue
      seen.add(id)
      stack.push([next, index + 1])
    }
  }
  return best
}

/** Where the longest echo of any secret starting exactly at `at` ends (`at` when none does). */
const longestAt = (matcher: Matcher, text: string, at: number): number => {
  let end = at
  for (const chars of matcher.secrets) end = Math.max(end, longestEcho(chars, text, at))
  return end
}

/**
 * Masks every secret in `text`, in every echoed form (see the module
 * comment), with {@link mask}. Empty secrets are ignored; duplicates are
 * harmless.
 *
 * ```ts
 * import { Redaction } from "@postpress/schema"
 *
 * Redaction.scrub('{"key":"pp_\\"live\\\\1"}', ['pp_"live\\1']) // '{"key":"***"}'
 * ```
 *
 * @since 0.1.0
 * @category redaction
 */
export const scrub = (text: string, secrets: Iterable<string>): string => {
  const list = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
  if (list.length === 0 || text.length === 0) return text
  const matcher = matcherFor(list)
  const heads = matcher.heads
  let out = ""
  let from = 0
  heads.lastIndex = 0
  for (let found = heads.exec(text); found !== null; found = heads.exec(text)) {
    const at = found.index
    let end = longestAt(matcher, text, at)
    // A secret starting inside this match may run past its end: mask up to its end too.
    for (let inside = at + 1; inside < end; inside++) end = Math.max(end, longestAt(matcher, text, inside))
    if (end === at) {
      // A head that matched only as a longer secret's head form: step one character on.
      heads.lastIndex = at + 1
      continue
    }
    out += text.slice(from, at) + mask
    from = end
    heads.lastIndex = end
  }
  return from === 0 ? text : out + text.slice(from)
}

/**
 * Whether `text` holds any secret in any echoed form (what {@link scrub}
 * would mask).
 *
 * @since 0.1.0
 * @category redaction
 */
export const contains = (text: string, secrets: Iterable<string>): boolean => scrub(text, secrets) !== text

/**
 * Whether `text` echoes the WHOLE secret in some form (raw, JSON-escaped,
 * percent-encoded, any letter case). Unlike {@link contains}, a run of its
 * leading characters is not enough: this is the `key_not_reflected` rule,
 * which must not call a shared key prefix a leak.
 *
 * @since 0.1.0
 * @category redaction
 */
export const echoes = (text: string, secret: string): boolean => {
  if (secret.length === 0 || text.length === 0) return false
  const { heads, secrets } = matcherFor([secret])
  const chars = secrets[0]!
  heads.lastIndex = 0
  for (let found = heads.exec(text); found !== null; found = heads.exec(text)) {
    if (longestEcho(chars, text, found.index, chars.length) > found.index) return true
    heads.lastIndex = found.index + 1
  }
  return false
}
