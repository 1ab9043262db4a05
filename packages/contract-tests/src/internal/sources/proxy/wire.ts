/**
 * The HTTP/1.1 rules the proxy applies on the wire, as pure functions and
 * values: which headers are hop-by-hop, how a final status line is checked,
 * how a 1xx head and the proxy's own problem answers are written, and where
 * requests go (the target and its keep-alive agent). `forward.ts` is the code
 * that moves the bytes.
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import * as Https from "node:https"

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, so a
 * proxy does not pass them on; everything else goes through as is
 * (`Trailer` included: it announces end-to-end trailer fields).
 *
 * @internal
 */
export const hopByHop: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "transfer-encoding",
  "upgrade"
])

/**
 * Raw headers (`[name, value, name, value, ...]`) without the hop-by-hop
 * ones nor those the `Connection` header names; `host`, when given, becomes
 * the value of `Host` (kept in its place, added if there was none).
 *
 * @internal
 */
export const endToEnd = (raw: ReadonlyArray<string>, host?: string, drop?: string): Array<string> => {
  const named = new Set<string>()
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === "connection") {
      for (const token of raw[i + 1]!.split(",")) named.add(token.trim().toLowerCase())
    }
  }
  const out: Array<string> = []
  let hostSeen = false
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase()
    if (hopByHop.has(lower) || named.has(lower) || lower === drop) continue
    if (host !== undefined && lower === "host") {
      if (!hostSeen) out.push(raw[i]!, host)
      hostSeen = true
      continue
    }
    out.push(raw[i]!, raw[i + 1]!)
  }
  if (host !== undefined && !hostSeen) out.unshift("Host", host)
  return out
}

/**
 * Where requests go.
 *
 * @internal
 */
export interface Target {
  readonly url: URL
  /** The target's path without a trailing slash; request targets are appended as sent. */
  readonly basePath: string
  /** `origin + base path`: what the judge takes as the base URL, and what messages name. */
  readonly baseUrl: string
  readonly agent: Http.Agent
  readonly request: typeof Http.request
}

/**
 * Largest header section accepted from either side: Node's default (16 KiB)
 * refuses well-formed answers with one 20 KB header.
 *
 * @internal
 */
export const maxHeaderSize = 256 * 1024

/**
 * @internal
 */
export const makeTarget = (url: URL, maxSockets: number): Target => {
  const https = url.protocol === "https:"
  // noDelay: an exchange is small and latency-bound; Nagle would hold its last segment back.
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, noDelay: true }
  const basePath = url.pathname.replace(/\/+$/, "")
  return {
    url,
    basePath,
    baseUrl: `${url.origin}${basePath}`,
    agent: https ? new Https.Agent(options) : new Http.Agent(options),
    request: https ? Https.request : Http.request
  }
}

// RFC 9112 §4: reason-phrase = *( HTAB / SP / VCHAR / obs-text ).
const invalidReason = /[^\t\x20-\x7e\x80-\xff]/

/**
 * Why a final answer's status line cannot be relayed, if it cannot.
 *
 * @internal
 */
export const statusLineProblem = (status: number | undefined, reason: string | undefined): string | undefined => {
  if (status === undefined || !Number.isInteger(status) || status < 200 || status > 599) {
    return `status ${String(status ?? "missing").padStart(3, "0")} is not a final status (200-599)`
  }
  if (reason !== undefined && invalidReason.test(reason)) {
    return `the reason phrase holds a control character (${JSON.stringify(reason)})`
  }
  return undefined
}

/**
 * The body of an answer the proxy writes itself (`application/problem+json`,
 * RFC 9457): the status's standard reason phrase as its title.
 *
 * @internal
 */
export const problemBody = (status: number, detail: string): string =>
  JSON.stringify({ type: "about:blank", title: Http.STATUS_CODES[status], status, detail })

/**
 * The raw 1xx status line and header block, for relaying informational answers.
 *
 * @internal
 */
export const informationalHead = (status: number, reason: string, raw: ReadonlyArray<string>): string => {
  let head = `HTTP/1.1 ${status} ${reason}\r\n`
  for (let i = 0; i < raw.length; i += 2) head += `${raw[i]}: ${raw[i + 1]}\r\n`
  return `${head}\r\n`
}
