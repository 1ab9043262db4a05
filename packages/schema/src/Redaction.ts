/**
 * THE masking function: everything a tool keeps or prints (errors, logs,
 * spans, reports, CLI output, HAR files) goes through {@link scrub} so that
 * no secret (the API key, a near-miss key) survives in any form a server or
 * a gateway can echo it; {@link echoes} is the same search for the
 * `key_not_reflected` rule.
 *
 * A secret is found in every form, character by character: raw, in any letter
 * case, JSON-escaped (`\"`, `\\`, `\/`, `\uXXXX` in either hex case, as a
 * server that escapes only what it must or everything non-ASCII writes it),
 * and percent-encoded (UTF-8 bytes as `%XX`, either hex case, whether the
 * encoder escapes only reserved characters or all of them); and in those
 * forms nested up to {@link layers} deep, as gateways write them: JSON inside
 * JSON (an upstream error wrapped in the gateway's own, `\\\"`), percent
 * encoding applied again (`%2B` → `%252B` → `%25252B`), a JSON escape
 * percent-encoded. The forms may even mix within one echo. A secret cut short
 * by truncation is found too: any run of at least {@link minRun} of its
 * leading characters.
 *
 * A secret is also found in base64 and base64url, padded or not, inside any
 * encoded text (`Basic base64(user:key)`, a token, a base64 JSON body): the
 * base64 of the key depends on its offset (mod 3) in the encoded text, so
 * each offset has its own pattern of the characters whose bits the key fixes
 * (a character shared with the text around it may take every value the
 * key's bits allow). Those characters are compared exactly (base64 is
 * case-sensitive), also when JSON-escaped (`\/`) or percent-encoded (`%2F`,
 * `%252F`). The secret's JSON-escaped form is looked for in base64 too (a
 * base64 JSON body holding it). A match masks the WHOLE base64 run that holds
 * it, so no decodable fragment of the secret survives.
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
 * are masked whole only, and not looked for in base64 (a short run of
 * characters is too likely to be a coincidence). The tools refuse keys
 * shorter than 8 characters before sending them, so every real key also gets
 * the truncation guard and the base64 search.
 *
 * @since 0.1.0
 */
import * as Encoding from "effect/Encoding"

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

/**
 * How many encodings deep a character's form is followed (JSON escaping and
 * percent-encoding, in any order): three covers a key percent-encoded three
 * times and a JSON error wrapped twice.
 *
 * @since 0.1.0
 * @category constants
 */
export const layers = 3

// Syntax characters only: the head matcher runs in Unicode mode, where other escapes are errors.
const regexEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0")

const utf8 = new TextEncoder()

/** %XX for every UTF-8 byte (a lone surrogate encodes as U+FFFD). */
const percentEvery = (text: string): string => {
  let out = ""
  for (const byte of utf8.encode(text)) out += `%${hex(byte, 2)}`
  return out
}

/** \uXXXX for every UTF-16 unit: the form of any character in JSON. */
const unicodeEscaped = (text: string): string => {
  let out = ""
  for (let i = 0; i < text.length; i++) out += `\\u${hex(text.charCodeAt(i), 4)}`
  return out
}

/**
 * One more layer over `form`: JSON-escaped (as `JSON.stringify` writes it,
 * with `\/`, or a single character as `\uXXXX`) and percent-encoded (a single
 * character byte by byte; a longer form as encoders do, everything but
 * letters and digits).
 */
const encodingsOf = (form: string): ReadonlyArray<string> => {
  const json = JSON.stringify(form).slice(1, -1)
  const single = Array.from(form).length === 1
  const percent = single ? percentEvery(form) : form.replace(/[^A-Za-z0-9]/gu, percentEvery)
  return [json, json.replaceAll("/", "\\/"), percent, ...(single ? [unicodeEscaped(form)] : [])]
}

const formsCache = new Map<string, ReadonlyArray<string>>()

/** Every way one character (a code point, or a lone surrogate) can be written in an echo, as literal text. */
const formsOf = (ch: string): ReadonlyArray<string> => {
  const known = formsCache.get(ch)
  if (known !== undefined) return known
  const forms = new Set<string>([ch])
  let layer: ReadonlyArray<string> = [ch]
  for (let depth = 0; depth < layers; depth++) {
    const next: Array<string> = []
    for (const form of layer) {
      for (const encoded of encodingsOf(form)) {
        if (forms.has(encoded)) continue
        forms.add(encoded)
        next.push(encoded)
      }
    }
    layer = next
  }
  // A space percent-encoded as a form field.
  if (ch === " ") forms.add("+")
  const out = [...forms]
  if (formsCache.size < 4096) formsCache.set(ch, out)
  return out
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/** The forms of each base64 value: its character in both alphabets, and the escapes of `+` and `/`. */
const base64Forms: ReadonlyArray<ReadonlyArray<string>> = Array.from(base64Alphabet, (ch) => {
  if (ch === "+") return [...formsOf("+"), "-"]
  if (ch === "/") return [...formsOf("/"), "_"]
  return [ch]
})

/** One way a secret can be written: the forms each of its characters can take. */
interface Pattern {
  readonly chars: ReadonlyArray<ReadonlyArray<string>>
  /** The fewest leading characters that are an echo by themselves (a secret cut short); the whole pattern for base64. */
  readonly cutShort: number
  /** Base64 characters are compared exactly, and the whole base64 run around a match is masked. */
  readonly base64: boolean
}

const textPattern = (secret: string): Pattern => {
  // Array.from splits by code point and keeps lone surrogates as characters of their own.
  const chars = Array.from(secret, formsOf)
  return { chars, cutShort: Math.min(minRun, chars.length), base64: false }
}

/** The bits of base64 character `index` (a 6-bit mask, high bit first) that fall in the bit range `[from, to)`. */
const bitsWithin = (index: number, from: number, to: number): number => {
  let bits = 0
  for (let b = 0; b < 6; b++) {
    const bit = 6 * index + b
    if (bit >= from && bit < to) bits |= 32 >> b
  }
  return bits
}

/**
 * The base64 characters that encode `bytes` when they start at `offset`
 * (mod 3) of the encoded text: each character covering some of their bits,
 * as every value that agrees with those bits (the others belong to the text
 * around it).
 */
const base64Pattern = (bytes: Uint8Array, offset: number): Pattern => {
  const placed = new Uint8Array(offset + bytes.length + 2)
  placed.set(bytes, offset)
  const encoded = Encoding.encodeBase64(placed)
  const from = 8 * offset
  const to = 8 * (offset + bytes.length)
  const chars: Array<ReadonlyArray<string>> = []
  for (let index = Math.floor(from / 6); 6 * index < to; index++) {
    const fixed = bitsWithin(index, from, to)
    const value = base64Alphabet.indexOf(encoded[index]!)
    const options: Array<string> = []
    for (let v = 0; v < 64; v++) if ((v & fixed) === (value & fixed)) options.push(...base64Forms[v]!)
    chars.push(options)
  }
  return { chars, cutShort: chars.length, base64: true }
}

/** The secret (and its JSON-escaped form, when that differs) in base64, at each offset mod 3. */
const base64Patterns = (secret: string): ReadonlyArray<Pattern> => {
  if (Array.from(secret).length < minRun) return []
  const texts = new Set([secret, JSON.stringify(secret).slice(1, -1)])
  return [...texts].flatMap((text) => [0, 1, 2].map((offset) => base64Pattern(utf8.encode(text), offset)))
}

const sameLetter = (a: string, b: string): boolean =>
  a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase()

const isSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdfff

/** Code point by code point (for letters outside the BMP, such as Deseret, which have case too). */
const sameIgnoringCase = (a: string, b: string): boolean => {
  const left = Array.from(a)
  const right = Array.from(b)
  return left.length === right.length && left.every((c, i) => sameLetter(c, right[i]!))
}

/** Whether `form` is written in `text` at `at`: a base64 character exactly, anything else letter case aside. */
const formAt = (text: string, at: number, form: string, exact: boolean): boolean => {
  if (at + form.length > text.length) return false
  if (exact && form.length === 1) return text[at] === form
  for (let i = 0; i < form.length; i++) {
    const a = text.charCodeAt(at + i)
    const b = form.charCodeAt(i)
    if (a === b) continue
    if (isSurrogate(a) || isSurrogate(b)) return sameIgnoringCase(text.slice(at, at + form.length), form)
    if (!sameLetter(text[at + i]!, form[i]!)) return false
  }
  return true
}

interface Matcher {
  /** Finds where some pattern may start (letter case aside): the heads of all patterns, one alternation. */
  readonly heads: RegExp
  readonly patterns: ReadonlyArray<Pattern>
}

const alternation = (forms: ReadonlyArray<string>): string => `(?:${forms.map(regexEscape).join("|")})`

const compile = (secrets: ReadonlyArray<string>): Matcher => {
  const patterns = secrets.flatMap((secret) => [textPattern(secret), ...base64Patterns(secret)])
  const heads = patterns.map((p) => p.chars.slice(0, minRun).map(alternation).join(""))
  // Unicode mode: case folding reaches letters outside the BMP; lone surrogates still match themselves.
  return { heads: new RegExp(heads.join("|"), "giu"), patterns }
}

// Callers scrub many texts with the same few secret sets (the proxy: its keys, and an exchange's own).
const matchers = new Map<string, Matcher>()

const matcherFor = (secrets: ReadonlyArray<string>): Matcher => {
  const key = JSON.stringify(secrets)
  const known = matchers.get(key)
  if (known !== undefined) return known
  const made = compile(secrets)
  if (matchers.size >= 16) matchers.delete(matchers.keys().next().value!)
  matchers.set(key, made)
  return made
}

/**
 * Where the longest echo of one pattern starting at `at` ends (`at` when none
 * does): the whole pattern, or a run of at least `needed` of its leading
 * characters. Forms of one character can be prefixes of each other (a raw
 * backslash and its JSON escape), so every path is explored, each (position,
 * character) once, and the farthest end wins.
 */
const longestEcho = (pattern: Pattern, text: string, at: number, needed = pattern.cutShort): number => {
  const { chars, base64 } = pattern
  let best = at
  const seen = new Set<number>()
  const stack: Array<readonly [number, number]> = [[at, 0]]
  while (stack.length > 0) {
    const [pos, index] = stack.pop()!
    if (index >= needed && pos > best) best = pos
    if (index === chars.length) continue
    for (const form of chars[index]!) {
      if (!formAt(text, pos, form, base64)) continue
      const next = pos + form.length
      const id = next * (chars.length + 1) + index + 1
      if (seen.has(id)) continue
      seen.add(id)
      stack.push([next, index + 1])
    }
  }
  return best
}

// What a base64 run is made of, escapes included (backslashes and `%` are whole escapes, see runStart).
const runCharacter = /[A-Za-z0-9+/_\-\\%]/
// A run's rest after a match: characters, `\/`, `\u002f`, `%2F` (re-encoded or not), then its padding.
const runTail = /(?:[A-Za-z0-9+/_-]|\\+\/|\\+u002[bf]|%(?:25)*2[bf])*(?:=|\\+u003d|%(?:25)*3d){0,2}/iy

/**
 * Where the base64 run holding a match at `at` starts, not before `floor`.
 * Backslashes are taken with what they escape (everything to their right is
 * taken already), so a JSON escape is never cut in two.
 */
const runStart = (text: string, at: number, floor: number): number => {
  let pos = at
  while (pos > floor && runCharacter.test(text[pos - 1]!)) pos--
  return pos
}

/** Where the base64 run holding a match ending at `end` ends (never inside an escape). */
const runEnd = (text: string, end: number): number => {
  runTail.lastIndex = end
  return runTail.exec(text) === null ? end : runTail.lastIndex
}

/** What one position masks: from `start` to `end` (`end === at` when no secret starts at `at`). */
const echoAt = (matcher: Matcher, text: string, at: number, floor: number) => {
  let start = at
  let end = at
  for (const pattern of matcher.patterns) {
    const reach = longestEcho(pattern, text, at)
    if (reach === at) continue
    if (pattern.base64) {
      start = Math.min(start, runStart(text, at, floor))
      end = Math.max(end, runEnd(text, reach))
    } else {
      end = Math.max(end, reach)
    }
  }
  return { start, end }
}

/**
 * The next position at or after `from` where some pattern's head matches, or
 * -1. In Unicode mode a search from inside a surrogate pair starts at the
 * pair: such a match is skipped, so the scan always moves on.
 */
const nextHead = (heads: RegExp, text: string, from: number): number => {
  for (let start = from; start <= text.length; start++) {
    heads.lastIndex = start
    const found = heads.exec(text)
    if (found === null) return -1
    if (found.index >= from) return found.index
  }
  return -1
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
 * Redaction.scrub("Basic dXNlcjpwcF9saXZlX2tleTE=", ["pp_live_key1"]) // "Basic ***"
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
  for (let at = nextHead(heads, text, 0); at !== -1; ) {
    let { start, end } = echoAt(matcher, text, at, from)
    if (end === at) {
      // A head that matched only as a longer secret's head form (or letter case aside): step one character on.
      at = nextHead(heads, text, at + 1)
      continue
    }
    // A secret starting inside this match may run past its end: mask up to its end too.
    for (let inside = nextHead(heads, text, at + 1); inside !== -1 && inside < end; ) {
      end = Math.max(end, echoAt(matcher, text, inside, from).end)
      inside = nextHead(heads, text, inside + 1)
    }
    out += text.slice(from, start) + mask
    from = end
    at = nextHead(heads, text, end)
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
 * percent-encoded, nested, any letter case, or in base64: see the module
 * comment). Unlike {@link contains}, a run of its leading characters is not
 * enough: this is the `key_not_reflected` rule, which must not call a shared
 * key prefix a leak.
 *
 * @since 0.1.0
 * @category redaction
 */
export const echoes = (text: string, secret: string): boolean => {
  if (secret.length === 0 || text.length === 0) return false
  const { heads, patterns } = matcherFor([secret])
  for (let at = nextHead(heads, text, 0); at !== -1; at = nextHead(heads, text, at + 1)) {
    if (patterns.some((pattern) => longestEcho(pattern, text, at, pattern.chars.length) > at)) return true
  }
  return false
}
