/**
 * The patterns {@link Redaction} looks for: every form one secret can take in
 * an echo (per character: raw, JSON-escaped, percent-encoded, nested up to
 * `layers` deep; and the secret in base64 at each offset mod 3), and how far
 * one pattern reaches from a position in a text.
 *
 * @internal
 */
import * as Encoding from "effect/Encoding"

/** See `Redaction.minRun`. */
export const minRun = 6

/** See `Redaction.layers`. */
export const layers = 3

// Syntax characters only: the head matcher runs in Unicode mode, where other escapes are errors.
export const regexEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")

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
export interface Pattern {
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
    // ASCII (every key, every escape) without allocating: only letters differ by case, by 0x20.
    if (a < 128 && b < 128) {
      if ((a | 0x20) !== (b | 0x20) || (a | 0x20) < 97 || (a | 0x20) > 122) return false
      continue
    }
    if (isSurrogate(a) || isSurrogate(b)) return sameIgnoringCase(text.slice(at, at + form.length), form)
    if (!sameLetter(text[at + i]!, form[i]!)) return false
  }
  return true
}

/**
 * Where the longest echo of one pattern starting at `at` ends (`at` when none
 * does): the whole pattern, or a run of at least `needed` of its leading
 * characters. Forms of one character can be prefixes of each other (a raw
 * backslash and its JSON escape), so every path is explored, each (position,
 * character) once, and the farthest end wins.
 */
export const longestEcho = (pattern: Pattern, text: string, at: number, needed = pattern.cutShort): number => {
  const { chars, base64 } = pattern
  // Most positions a group's head matches start no pattern of a given secret: say so before allocating.
  if (chars.length === 0 || !chars[0]!.some((form) => formAt(text, at, form, base64))) return at
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
export const runStart = (text: string, at: number, floor: number): number => {
  let pos = at
  while (pos > floor && runCharacter.test(text[pos - 1]!)) pos--
  return pos
}

/** Where the base64 run holding a match ending at `end` ends (never inside an escape). */
export const runEnd = (text: string, end: number): number => {
  runTail.lastIndex = end
  return runTail.exec(text) === null ? end : runTail.lastIndex
}

/**
 * Every pattern of one secret: its characters' forms, then (a secret of at
 * least {@link minRun} characters) its base64 patterns.
 */
export const patternsOf = (secret: string): ReadonlyArray<Pattern> => [textPattern(secret), ...base64Patterns(secret)]
