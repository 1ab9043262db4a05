/**
 * The security probes: inputs the spec never mentions but real key-auth APIs
 * get wrong, and the judges of their answers.
 *
 * - near-miss keys: variants of the REAL key (cut short, one character
 *   appended, letter case changed, wrapped in no-break spaces) must be
 *   refused like an unknown key;
 * - path confusion: a known id with an extra segment, a trailing slash, a
 *   `;param` or double-encoded must never be served as that account;
 * - credential placement: the key in a query parameter must not
 *   authenticate, the header name in other letter case must.
 *
 * Key hygiene: a near-miss key is derived from the real key, so it is as
 * secret as the key. Nothing here puts a key or a variant into a `kind`,
 * a message or a URL shown in a report: variants are described by kind
 * only, and query-string placements are rendered with `***`.
 *
 * Everything here is pure; the scenarios turn these into requests.
 *
 * @since 0.1.0
 */
import { AccountsApi, ApiError, ErrorCatalogue } from "@postpress/schema"

/**
 * Keys shorter than this are not probed with near misses: cutting a short
 * key leaves too little to tell a near miss from a random wrong key.
 *
 * @since 0.1.0
 * @category constants
 */
export const MIN_NEAR_MISS_KEY_LENGTH = 8

/**
 * One variant of the real key. `kind` describes it without its characters
 * and is the only part that may reach a report.
 *
 * @since 0.1.0
 * @category models
 */
export interface NearMissKey {
  readonly kind: string
  readonly key: string
}

/**
 * What to send for `near_miss_keys`: nothing (with the reason) for keys too
 * short to vary, else the variants, with a note when the case variants had
 * to be left out.
 *
 * @since 0.1.0
 * @category models
 */
export type NearMissPlan =
  | { readonly _tag: "Skip"; readonly reason: string }
  | { readonly _tag: "Run"; readonly variants: ReadonlyArray<NearMissKey>; readonly note: string | undefined }

const isLetter = (c: string): boolean => c.toLowerCase() !== c.toUpperCase()

const swapCase = (c: string): string => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())

const characters = (n: number): string => `${n} character${n === 1 ? "" : "s"}`

/**
 * No-break space (U+00A0). Spaces and tabs around a header value are
 * optional whitespace that HTTP itself strips before any application sees
 * them, so they cannot probe anything; U+00A0 travels as a byte HTTP keeps,
 * and only an application that trims the value (JavaScript's `trim()`,
 * Python's `strip()`) removes it.
 */
const NO_BREAK_SPACE = "\u00A0"

/**
 * The kind of the whitespace variant. A front proxy may refuse a header
 * value with a non-ASCII byte as a malformed request (400) before the
 * application sees it; that is a refusal too, so its judge accepts a 400.
 */
const wrappedKind = "key wrapped in no-break spaces (U+00A0)"

/**
 * The near-miss variants of a key: cut short by one character and by half,
 * one character appended, every letter's case swapped, one letter's case
 * changed, wrapped in no-break spaces. A variant equal to the key is never
 * produced.
 *
 * @since 0.1.0
 * @category constructors
 */
export const nearMissKeys = (key: string): NearMissPlan => {
  const chars = [...key]
  if (chars.length < MIN_NEAR_MISS_KEY_LENGTH) {
    return { _tag: "Skip", reason: `the API key is shorter than ${MIN_NEAR_MISS_KEY_LENGTH} characters` }
  }
  const half = Math.floor(chars.length / 2)
  const appended = chars.at(-1) === "x" ? "y" : "x"
  const variants: Array<NearMissKey> = [
    { kind: `key cut short by ${characters(1)}`, key: chars.slice(0, -1).join("") },
    { kind: `key cut short by ${characters(chars.length - half)}`, key: chars.slice(0, half).join("") },
    { kind: "key with one character appended", key: `${key}${appended}` },
    { kind: wrappedKind, key: `${NO_BREAK_SPACE}${key}${NO_BREAK_SPACE}` }
  ]
  const letters = chars.flatMap((c, i) => (isLetter(c) ? [i] : []))
  let note: string | undefined
  if (letters.length === 0) {
    note = "case variants left out: the API key has no letters"
  } else {
    variants.push({ kind: "key with the case of every letter swapped", key: chars.map(swapCase).join("") })
    if (letters.length > 1) {
      const last = letters.at(-1)!
      variants.push({
        kind: "key with the case of one letter changed",
        key: chars.map((c, i) => (i === last ? swapCase(c) : c)).join("")
      })
    }
  }
  const seen = new Set<string>([key])
  const unique: Array<NearMissKey> = []
  for (const variant of variants) {
    if (seen.has(variant.key)) continue
    seen.add(variant.key)
    unique.push(variant)
  }
  return { _tag: "Run", variants: unique, note }
}

/**
 * One confused path: the raw text that replaces the `{id}` segment of the
 * path template (sent exactly as written), and what it is.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConfusedPath {
  readonly kind: string
  readonly segment: string
}

const doubleEncode = (id: string): string =>
  [...new TextEncoder().encode(id)].map((byte) => `%25${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("")

/**
 * Path-confusion variants of a known id, given its correct one-segment
 * encoding: an extra segment, a trailing slash, a `;param`, and the id
 * percent-encoded twice (every byte as `%25XX`, so one decoding yields a
 * different id, `%61%63…`, and only a server that decodes twice finds the
 * account; an id containing `/` travels as `%252F`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const confusedPaths = (encodedId: string, id: string): ReadonlyArray<ConfusedPath> => [
  { kind: "extra path segment after the id", segment: `${encodedId}/x` },
  { kind: "trailing slash after the id", segment: `${encodedId}/` },
  { kind: "matrix parameter (;param) after the id", segment: `${encodedId};param` },
  { kind: "id percent-encoded twice", segment: doubleEncode(id) }
]

/**
 * Query parameters a misconfigured server might read the key from.
 *
 * @since 0.1.0
 * @category constants
 */
export const keyQueryParameters: ReadonlyArray<string> = ["api_key", "x-api-key"]

/**
 * The key header's name in other letter case than the contract's spelling
 * (HTTP header names are case-insensitive, so each must authenticate).
 *
 * @since 0.1.0
 * @category constructors
 */
export const headerNameVariants = (name: string = AccountsApi.apiKeyHeader): ReadonlyArray<string> => {
  const titled = name
    .split("-")
    .map((part) => part.slice(0, 1).toUpperCase() + part.slice(1).toLowerCase())
    .join("-")
  return [...new Set([name.toLowerCase(), titled, name.toUpperCase()])].filter((n) => n !== name)
}

/**
 * A query string carrying the key in `parameter`; `shown` is what reports
 * print (the key as `***`), `sent` what goes on the wire.
 *
 * @since 0.1.0
 * @category encoding
 */
export const keyQuery = (parameter: string, key: string): { readonly sent: string; readonly shown: string } => ({
  sent: `?${encodeURIComponent(parameter)}=${encodeURIComponent(key)}`,
  shown: `?${encodeURIComponent(parameter)}=***`
})

// ---------------------------------------------------------------------------
// judges

/**
 * What a judge found wrong (the same shape as a scenario verdict).
 *
 * @since 0.1.0
 * @category models
 */
export interface Finding {
  readonly message: string
  readonly issues?: ReadonlyArray<string>
}

const field = (json: unknown, key: string): unknown =>
  typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)[key] : undefined

const answer = (status: number, json: unknown): string => {
  const type = field(json, "type")
  return typeof type === "string" ? `${status} ${type}` : `${status}`
}

const unauthorized = ApiError.Unauthorized.status
const notFound = ApiError.NotFound.status
const badRequest = ApiError.BadRequest.status
const unauthorizedTypes: ReadonlyArray<string> = ErrorCatalogue.typesOf(unauthorized)
const missingCredentials = "errors/missing_credentials" satisfies ErrorCatalogue.ErrorType

const typeIssue = (wanted: ReadonlyArray<string>, json: unknown): ReadonlyArray<string> => {
  const type = field(json, "type")
  return [`type: expected ${wanted.join(" | ")}, got ${typeof type === "string" ? JSON.stringify(type) : "none"}`]
}

/**
 * `near_miss_keys`: a variant of the key must be refused like an unknown
 * key, 401 with a 401-tier type (or, for the no-break-space variant only, a
 * 400 for a malformed header). A 200 is an authentication bypass.
 *
 * @since 0.1.0
 * @category judges
 */
export const judgeNearMiss = (kind: string, status: number, json: unknown): Finding | undefined => {
  if (kind === wrappedKind && status === badRequest) return undefined
  if (status === unauthorized) {
    const type = field(json, "type")
    return typeof type === "string" && unauthorizedTypes.includes(type)
      ? undefined
      : {
          message: `${kind}: expected a 401 with a 401-tier type, got ${answer(status, json)}`,
          issues: typeIssue(unauthorizedTypes, json)
        }
  }
  if (status >= 200 && status <= 299) {
    return { message: `${kind} was accepted (${status}): the key comparison is not exact (authentication bypass)` }
  }
  return { message: `${kind}: expected 401 like an unknown key, got ${answer(status, json)}` }
}

/**
 * `path_confusion`: a confused path must not be served as the account. 404
 * (no such resource) or 400 (malformed path) are correct.
 *
 * @since 0.1.0
 * @category judges
 */
export const judgeConfusedPath = (kind: string, id: string, status: number, json: unknown): Finding | undefined => {
  if (status === notFound || status === badRequest) return undefined
  if (status >= 200 && status <= 299) {
    const served = field(json, "id") === id
    return {
      message: served
        ? `${kind}: served as the account ${JSON.stringify(id)} (${status}); the server ignores what follows the id or decodes it twice`
        : `${kind}: answered ${status}; expected 404 (or 400)`
    }
  }
  return { message: `${kind}: expected 404 (or 400), got ${answer(status, json)}` }
}

/**
 * `credential_placement`, key in the query string: it must not
 * authenticate; the request has no key header, so 401
 * `errors/missing_credentials`.
 *
 * @since 0.1.0
 * @category judges
 */
export const judgeKeyInQuery = (parameter: string, status: number, json: unknown): Finding | undefined => {
  const where = `the key in the ${parameter} query parameter (no header)`
  if (status >= 200 && status <= 299)
    return { message: `${where} authenticated (${status}); keys belong in the header only` }
  if (status === unauthorized && field(json, "type") === missingCredentials) return undefined
  return {
    message: `${where}: expected 401 ${missingCredentials}, got ${answer(status, json)}`,
    ...(status === unauthorized ? { issues: typeIssue([missingCredentials], json) } : {})
  }
}

/**
 * `credential_placement`, header name in other letter case: HTTP header
 * names are case-insensitive, so the known account must be served (200;
 * whether the body is right is `known_accounts`' and `response_schema`'s
 * business).
 *
 * @since 0.1.0
 * @category judges
 */
export const judgeHeaderName = (name: string, status: number, json: unknown): Finding | undefined =>
  status === 200
    ? undefined
    : {
        message: `the key in header ${name} was refused (header names are case-insensitive): expected 200, got ${answer(status, json)}`
      }
