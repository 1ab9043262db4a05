/**
 * Building one contract request: the id encoded as exactly one path segment
 * under the base path, the headers (the ONE place the API key leaves its
 * `Redacted` wrapper), and the report's view of it (URL and a `curl` line
 * with the key masked). Sending is `ContractTransport`'s business.
 *
 * @since 0.1.0
 */
import { AccountsApi, type BaseUrl } from "@postpress/schema"
import * as Redacted from "effect/Redacted"
import type { Credentials, Probe } from "./probe.js"
import type { TransportRequest } from "./transportService.js"

/**
 * One request as the report shows it (never with the key).
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestInfo {
  readonly method: "GET"
  readonly url: string
  readonly accountId: string
  readonly credentials: Credentials
}

/**
 * Encodes an account id as exactly ONE path segment. `encodeURIComponent`
 * leaves `.` alone, so the ids `.` and `..` would become dot segments that
 * intermediaries resolve away; their dots are percent-encoded instead.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeSegment = (id: string): string => {
  const encoded = encodeURIComponent(id)
  return encoded === "." || encoded === ".." ? encoded.replaceAll(".", "%2E") : encoded
}

/**
 * `true` when the id can travel at all: lone UTF-16 surrogates have no UTF-8
 * form, so `encodeURIComponent` throws on them.
 *
 * @since 0.1.0
 * @category encoding
 */
export const isSendable = (id: string): boolean => {
  try {
    encodeURIComponent(id)
    return id.length > 0
  } catch {
    return false
  }
}

/**
 * The base URL parsed once, with the path prefix every request shares.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly base: URL
  readonly prefix: string
}

/**
 * The target of a base URL already checked by THE rule (`BaseUrl` from
 * `@postpress/schema`: http(s), no query, fragment or credentials).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTarget = (baseUrl: BaseUrl.BaseUrl | string): Target => {
  const base = new URL(baseUrl)
  return { base, prefix: base.pathname.replace(/\/+$/, "") }
}

/**
 * The request path (`/v1/accounts/{id}` under the base path), id encoded.
 *
 * @since 0.1.0
 * @category encoding
 */
export const pathFor = (target: Target, id: string): string =>
  `${target.prefix}${AccountsApi.pathTemplate.replace("{id}", encodeSegment(id))}`

/**
 * A probe's path: its raw `segment` (security probes) or the id encoded as
 * one segment, then the key query parameter, with `key` as its value (the
 * wire) or `***` (reports).
 */
const probePath = (target: Target, probe: Probe, key: string): string => {
  const segment = probe.segment ?? encodeSegment(probe.id)
  const query = probe.keyQuery === undefined ? "" : `?${encodeURIComponent(probe.keyQuery)}=${key}`
  return `${target.prefix}${AccountsApi.pathTemplate.replace("{id}", segment)}${query}`
}

/**
 * A probe's URL as reports show it: a key in the query string is `***`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const urlOf = (target: Target, probe: Probe): string => `${target.base.origin}${probePath(target, probe, "***")}`

const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`

/**
 * A `curl` line that reproduces a request. The valid key is always written
 * as `***`; `--path-as-is` keeps curl from resolving `%2E%2E`-style segments.
 *
 * @since 0.1.0
 * @category formatting
 */
export const curlFor = (request: RequestInfo, invalidKey: string, probe?: Probe): string => {
  const header = probe?.keyHeader ?? AccountsApi.apiKeyHeader
  // A near-miss key (probe.key) is derived from the real key: masked like it.
  const key =
    request.credentials === "valid" || probe?.key !== undefined
      ? ` --header ${shellQuote(`${header}: ***`)}`
      : request.credentials === "invalid"
        ? ` --header ${shellQuote(`${header}: ${invalidKey}`)}`
        : ""
  return `curl --path-as-is --request GET --url ${shellQuote(request.url)}${key} --header 'accept: application/json'`
}

/**
 * The keys a run sends: the real one (kept `Redacted` until this module
 * builds the header) and a wrong one for the invalid-credentials probes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Keys {
  readonly apiKey: Redacted.Redacted<string>
  readonly invalidKey: string
}

/**
 * The request a probe sends: the key header under the spec's own spelling
 * unless the probe names another, a near-miss key instead of the real one,
 * a raw segment and a key query parameter for the security probes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const build = (target: Target, probe: Probe, keys: Keys): TransportRequest => {
  const headers: Record<string, string> = { accept: "application/json" }
  const header = probe.keyHeader ?? AccountsApi.apiKeyHeader
  if (probe.key !== undefined) headers[header] = Redacted.value(probe.key)
  else if (probe.credentials === "valid") headers[header] = Redacted.value(keys.apiKey)
  else if (probe.credentials === "invalid") headers[header] = keys.invalidKey
  const path =
    probe.segment === undefined && probe.keyQuery === undefined
      ? pathFor(target, probe.id)
      : probePath(target, probe, encodeURIComponent(Redacted.value(keys.apiKey)))
  return { method: "GET", origin: target.base.origin, path, headers }
}
