/**
 * Where an exchange sits: headers in any of the usual shapes, lower-cased,
 * and whether a request is `GET {base}/v1/accounts/{one segment}` (and which
 * id it asks for), by URL semantics for the origin and as sent for the path.
 * The judge, the proxy and the HAR reader all ask here.
 *
 * @since 0.1.0
 */
import { AccountsApi } from "@postpress/schema"

// `/v1/accounts/{id}` → `/v1/accounts/`, derived so a path change in the contract follows.
const operationPrefix = AccountsApi.pathTemplate.slice(0, AccountsApi.pathTemplate.indexOf("{"))

/**
 * Request or response headers in any of the usual shapes: a plain object
 * (`node:http` style, values may be arrays), a fetch `Headers`, or pairs.
 *
 * @since 0.1.0
 * @category models
 */
export type HeadersLike =
  | Readonly<Record<string, string | ReadonlyArray<string> | number | undefined>>
  | Iterable<readonly [string, string]>

/**
 * Lower-cased headers, repeated values joined with `, `.
 *
 * @since 0.1.0
 * @category parsing
 */
export const normalizeHeaders = (headers: HeadersLike): Record<string, string> => {
  const out: Record<string, string> = {}
  const add = (name: string, value: string) => {
    const key = name.toLowerCase()
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`
  }
  if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, string]>) add(name, value)
    return out
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const v of value) add(name, String(v))
    else add(name, String(value))
  }
  return out
}

/** The path part of a URL or raw target, as sent (no normalisation, no decoding). */
const rawPath = (url: string): string => {
  let rest = url
  const scheme = rest.indexOf("://")
  if (scheme !== -1 && !rest.startsWith("/")) {
    const slash = rest.indexOf("/", scheme + 3)
    rest = slash === -1 ? "/" : rest.slice(slash)
  }
  const end = rest.search(/[?#]/)
  return end === -1 ? rest : rest.slice(0, end)
}

/**
 * The origin of an absolute URL by URL semantics (scheme and host
 * lower-cased, default ports dropped: `https://API.example.com:443` is
 * `https://api.example.com`); `undefined` for a raw target (`/api/...`) or
 * text that is not a URL.
 *
 * @since 0.1.0
 * @category parsing
 */
export const originOf = (url: string): string | undefined => {
  if (url.startsWith("/") || !url.includes("://")) return undefined
  try {
    const origin = new URL(url).origin
    return origin === "null" ? undefined : origin
  } catch {
    return undefined
  }
}

// The base URL is the same for a whole session: parse its origin once, not per exchange.
let lastBase: { readonly url: string; readonly origin: string | undefined } | undefined
const baseOrigin = (baseUrl: string): string | undefined => {
  if (lastBase?.url !== baseUrl) lastBase = { url: baseUrl, origin: originOf(baseUrl) }
  return lastBase.origin
}

/**
 * What {@link locate} found: the operation's id, or why an exchange is not
 * the operation (`method`, `path`, or `origin`: outside the base URL).
 *
 * @since 0.1.0
 * @category models
 */
export type Location =
  | { readonly _tag: "Account"; readonly id: string }
  | {
      readonly _tag: "Other"
      readonly kind: "method" | "path" | "origin"
      readonly reason: string
      /** The origin seen, when it is outside the base URL. */
      readonly origin?: string
    }

/**
 * Where the account id sits: the id of a `GET {base}/v1/accounts/{one segment}`
 * request, or why the exchange is not one. Origins are compared by URL
 * semantics ({@link originOf}), never as string prefixes; the path is
 * compared as sent.
 *
 * @since 0.1.0
 * @category parsing
 */
export const locate = (method: string, url: string | URL, baseUrl: string | undefined): Location => {
  const text = typeof url === "string" ? url : url.href
  if (method.toUpperCase() !== "GET") {
    return { _tag: "Other", kind: "method", reason: `${method.toUpperCase()} is not the operation` }
  }
  const path = rawPath(text)
  let rest: string
  if (baseUrl === undefined) {
    const at = path.lastIndexOf(operationPrefix)
    if (at === -1) return { _tag: "Other", kind: "path", reason: "not an account path" }
    rest = path.slice(at + operationPrefix.length)
  } else {
    const origin = originOf(text)
    if (origin !== undefined && origin !== baseOrigin(baseUrl)) {
      return { _tag: "Other", kind: "origin", reason: "another host", origin }
    }
    const prefix = `${rawPath(baseUrl).replace(/\/+$/, "")}${operationPrefix}`
    if (!path.startsWith(prefix)) {
      return { _tag: "Other", kind: "path", reason: "not an account path under the base URL" }
    }
    rest = path.slice(prefix.length)
  }
  if (rest === "" || rest.includes("/")) {
    return { _tag: "Other", kind: "path", reason: "not one path segment after /v1/accounts/" }
  }
  try {
    return { _tag: "Account", id: decodeURIComponent(rest) }
  } catch {
    return { _tag: "Other", kind: "path", reason: "the id segment is not valid percent-encoding" }
  }
}
