/**
 * Broken servers for the security checks: each is the mock behind a proxy
 * that reproduces ONE real-world mistake (a `startsWith` key comparison,
 * prefix routing, a key read from the query string, ...), and the correct
 * variations those checks must accept.
 *
 * @since 0.1.0
 */
import type { Answer, Incoming, Mutation } from "./Proxy.js"

/** `/v1/accounts/` — the part of the path before the id. */
const accountsPrefix = "/v1/accounts/"

const splitTarget = (path: string): { readonly path: string; readonly query: string } => {
  const q = path.indexOf("?")
  return q === -1 ? { path, query: "" } : { path: path.slice(0, q), query: path.slice(q) }
}

/** Rewrites the raw `{id}` segment (everything after `/v1/accounts/`, query aside). */
const rewriteSegment = (i: Incoming, edit: (raw: string) => string): Incoming => {
  const { path, query } = splitTarget(i.path)
  if (!path.startsWith(accountsPrefix)) return i
  const raw = path.slice(accountsPrefix.length)
  const next = edit(raw)
  return next === raw ? i : { ...i, path: `${accountsPrefix}${next}${query}` }
}

const decodeOr = (text: string, fallback: string): string => {
  try {
    return decodeURIComponent(text)
  } catch {
    return fallback
  }
}

const withRealKey = (i: Incoming, accepted: (sent: string, real: string) => boolean, real: string): Incoming =>
  i.key !== undefined && i.key.length > 0 && i.key !== real && accepted(i.key, real) ? { ...i, key: real } : i

/**
 * Each breaks one security rule; `expect` names the check that must catch it.
 *
 * @since 0.1.0
 */
export const securityBroken: ReadonlyArray<Mutation> = [
  {
    name: "key-prefix-accepted",
    rule: "a key the real key starts with is accepted (apiKey.startsWith(sent))",
    expect: "near_miss_keys",
    request: (i, f) => withRealKey(i, (sent, real) => real.startsWith(sent), f.apiKey)
  },
  {
    name: "key-startswith",
    rule: "a key starting with the real key is accepted (sent.startsWith(apiKey))",
    expect: "near_miss_keys",
    request: (i, f) => withRealKey(i, (sent, real) => sent.startsWith(real), f.apiKey)
  },
  {
    name: "key-case-insensitive",
    rule: "keys are compared case-insensitively",
    expect: "near_miss_keys",
    request: (i, f) => withRealKey(i, (sent, real) => sent.toLowerCase() === real.toLowerCase(), f.apiKey)
  },
  {
    name: "key-trimmed",
    rule: "the key header is trim()med before comparing (no-break spaces removed)",
    expect: "near_miss_keys",
    request: (i, f) => withRealKey(i, (sent, real) => sent.trim() === real, f.apiKey)
  },
  {
    name: "prefix-routing",
    rule: "routing by prefix: whatever follows the id's segment is ignored",
    expect: "path_confusion",
    request: (i) => rewriteSegment(i, (raw) => raw.split("/")[0]!)
  },
  {
    name: "semicolon-params",
    rule: "`;params` are cut from the id (a router's matrix-parameter stripping)",
    expect: "path_confusion",
    request: (i) => rewriteSegment(i, (raw) => raw.split(";")[0]!)
  },
  {
    name: "double-decoding",
    rule: "the id is percent-decoded twice",
    expect: "path_confusion",
    request: (i) =>
      rewriteSegment(i, (raw) => {
        if (raw.includes("/")) return raw
        const once = decodeOr(raw, raw)
        const twice = decodeOr(once, once)
        return twice === once ? raw : encodeURIComponent(twice)
      })
  },
  {
    name: "key-from-query",
    rule: "without the header, the key is read from ?api_key= or ?x-api-key=",
    expect: "credential_placement",
    request: (i) => {
      if (i.key !== undefined) return i
      const params = new URLSearchParams(splitTarget(i.path).query)
      const key = params.get("api_key") ?? params.get("x-api-key")
      return key === null ? i : { ...i, key }
    }
  },
  {
    name: "header-name-case-sensitive",
    rule: "only the exact spelling X-API-KEY of the header name is read",
    expect: "credential_placement",
    request: (i) => (i.keyHeader !== undefined && i.keyHeader !== "X-API-KEY" ? { ...i, key: undefined } : i)
  }
]

const envelope400 = (detail: string): Answer => ({
  status: 400,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ title: "Bad Request", type: "errors/invalid_parameters", status: 400, detail })
})

/**
 * Correct servers the security checks must pass.
 *
 * @since 0.1.0
 */
export const securityControls: ReadonlyArray<Mutation> = [
  {
    name: "strict-paths-400",
    rule: "malformed account paths (extra segment, trailing slash, `;`, `%25`) answer 400 instead of 404",
    expect: undefined,
    response: (a, i) => {
      const { path } = splitTarget(i.path)
      if (!path.startsWith(accountsPrefix)) return a
      const raw = path.slice(accountsPrefix.length)
      return /[/;]|%25/.test(raw) && a.status === 404 ? envelope400("malformed account path") : a
    }
  }
]
