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
import * as Patterns from "./internal/echoPatterns.js"

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
export const minRun: number = Patterns.minRun

/**
 * How many encodings deep a character's form is followed (JSON escaping and
 * percent-encoding, in any order): three covers a key percent-encoded three
 * times and a JSON error wrapped twice.
 *
 * @since 0.1.0
 * @category constants
 */
export const layers: number = Patterns.layers

/** Secrets compiled together: a proxy's growing set of keys recompiles only its last group. */
const groupSize = 16

interface Group {
  /** Finds where some pattern of the group may start (letter case aside): all their heads, one alternation. */
  readonly heads: RegExp
  readonly patterns: ReadonlyArray<Patterns.Pattern>
}

const alternation = (forms: ReadonlyArray<string>): string => `(?:${forms.map(Patterns.regexEscape).join("|")})`

const compile = (secrets: ReadonlyArray<string>): Group => {
  const patterns = secrets.flatMap(Patterns.patternsOf)
  const heads = patterns.map((p) => p.chars.slice(0, minRun).map(alternation).join(""))
  // Unicode mode: case folding reaches letters outside the BMP; lone surrogates still match themselves.
  return { heads: new RegExp(heads.join("|"), "giu"), patterns }
}

// Least recently used first: callers scrub many texts with the same few secrets.
const compiled = new Map<string, Group>()

const groupFor = (secrets: ReadonlyArray<string>): Group => {
  const key = JSON.stringify(secrets)
  const known = compiled.get(key)
  if (known !== undefined) {
    compiled.delete(key)
    compiled.set(key, known)
    return known
  }
  const made = compile(secrets)
  if (compiled.size >= 1024) compiled.delete(compiled.keys().next().value!)
  compiled.set(key, made)
  return made
}

/** `secrets` (distinct, non-empty, in the order given) in compiled groups. */
const groupsOf = (secrets: ReadonlyArray<string>): ReadonlyArray<Group> => {
  const groups: Array<Group> = []
  for (let i = 0; i < secrets.length; i += groupSize) groups.push(groupFor(secrets.slice(i, i + groupSize)))
  return groups
}

/**
 * The next position at or after `from` where `heads` matches, or -1. In
 * Unicode mode a search from inside a surrogate pair starts at the pair: such
 * a match is skipped, so the scan always moves on.
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
 * Walks `text` over the heads of every group at once. Positions only move
 * forward, so each group's search goes on from where it stopped; only the
 * groups whose head matches at a position are tried there.
 */
const makeCursor = (groups: ReadonlyArray<Group>, text: string) => {
  // The first head of each group at or after the last position asked for (-1: none left).
  const next = groups.map(() => -2)
  return {
    advance: (from: number): number => {
      let first = -1
      for (let i = 0; i < groups.length; i++) {
        if (next[i] !== -1 && next[i]! < from) next[i] = nextHead(groups[i]!.heads, text, from)
        if (next[i] !== -1 && (first === -1 || next[i]! < first)) first = next[i]!
      }
      return first
    },
    patternsAt: (at: number): ReadonlyArray<Patterns.Pattern> =>
      groups.flatMap((group, i) => (next[i] === at ? group.patterns : []))
  }
}

/** What one position masks: from `start` to `end` (`end === at` when no secret starts at `at`). */
const echoAt = (patterns: ReadonlyArray<Patterns.Pattern>, text: string, at: number, floor: number) => {
  let start = at
  let end = at
  for (const pattern of patterns) {
    const reach = Patterns.longestEcho(pattern, text, at)
    if (reach === at) continue
    if (pattern.base64) {
      start = Math.min(start, Patterns.runStart(text, at, floor))
      end = Math.max(end, Patterns.runEnd(text, reach))
    } else {
      end = Math.max(end, reach)
    }
  }
  return { start, end }
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
  const list = [...new Set(secrets)].filter((s) => s.length > 0)
  if (list.length === 0 || text.length === 0) return text
  const cursor = makeCursor(groupsOf(list), text)
  let out = ""
  let from = 0
  for (let at = cursor.advance(0); at !== -1; ) {
    let { start, end } = echoAt(cursor.patternsAt(at), text, at, from)
    if (end === at) {
      // A head that matched only as a longer secret's head form (or letter case aside): step one character on.
      at = cursor.advance(at + 1)
      continue
    }
    // A secret starting inside this match may run past its end: mask up to its end too.
    for (let inside = cursor.advance(at + 1); inside !== -1 && inside < end; inside = cursor.advance(inside + 1)) {
      end = Math.max(end, echoAt(cursor.patternsAt(inside), text, inside, from).end)
    }
    out += text.slice(from, start) + mask
    from = end
    at = cursor.advance(end)
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
  const { heads, patterns } = groupFor([secret])
  for (let at = nextHead(heads, text, 0); at !== -1; at = nextHead(heads, text, at + 1)) {
    if (patterns.some((pattern) => Patterns.longestEcho(pattern, text, at, pattern.chars.length) > at)) return true
  }
  return false
}
