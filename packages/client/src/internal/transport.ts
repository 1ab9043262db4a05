/**
 * Classifying why a request got no response. Node and undici report the
 * reason as a `code` somewhere down a `cause` chain (or inside an
 * AggregateError when several addresses were tried).
 *
 * An answer that is not valid HTTP is told apart from a network failure:
 * the HTTP parser's errors (`HPE_*`, undici's `HTTPParserError`) and the
 * assertion undici's parser fails on a status below 100 (`HTTP/1.1 099`,
 * whose own text is `assert(statusCode >= 100)` or `false == true`).
 *
 * @internal
 */
import type { TransportReason } from "../ClientError.js"

const reasons: Readonly<Record<string, TransportReason>> = {
  ECONNREFUSED: "ConnectionRefused",
  ECONNRESET: "ConnectionReset",
  EPIPE: "ConnectionReset",
  UND_ERR_SOCKET: "ConnectionReset",
  UND_ERR_CLOSED: "ConnectionReset",
  ENOTFOUND: "DnsFailure",
  EAI_AGAIN: "DnsFailure",
  EAI_NONAME: "DnsFailure",
  EAI_FAIL: "DnsFailure"
}

/** What an error in the chain may carry (Node's, undici's and node:http's parser errors). */
interface Cause {
  readonly name?: unknown
  readonly code?: unknown
  readonly message?: unknown
  readonly reason?: unknown
  readonly data?: unknown
  readonly rawPacket?: unknown
  readonly cause?: unknown
  readonly errors?: unknown
}

/** The chain from the outermost error inward: `cause`, else an AggregateError's first error. */
const chainOf = (u: unknown): ReadonlyArray<Cause> => {
  const chain: Array<Cause> = []
  let at = u
  while (typeof at === "object" && at !== null && chain.length <= 8) {
    const record = at as Cause
    chain.push(record)
    at = record.cause ?? (Array.isArray(record.errors) ? record.errors[0] : undefined)
  }
  return chain
}

const stringOf = (u: unknown): string | undefined => (typeof u === "string" && u !== "" ? u : undefined)

/** Characters of the server's bytes quoted in a detail. */
const maxQuotedChars = 60

/** The first line of what the parser was reading (undici: from the error on; node:http: the whole packet). */
const quotedLine = (cause: Cause): string | undefined => {
  const bytes =
    stringOf(cause.data) ??
    (cause.rawPacket instanceof Uint8Array ? String.fromCharCode(...cause.rawPacket.subarray(0, 256)) : undefined)
  const line = bytes?.split(/\r?\n/, 1)[0]
  if (line === undefined || line === "") return undefined
  return line.length > maxQuotedChars ? `${line.slice(0, maxQuotedChars)}…` : line
}

const notHttp = "the server's answer is not valid HTTP"

const isParserError = (cause: Cause): boolean =>
  (typeof cause.code === "string" && cause.code.startsWith("HPE_")) || cause.name === "HTTPParserError"

/** The parser's own words: undici's parenthetical ("Invalid response status"), node:http's `reason`. */
const parserWords = (cause: Cause): string => {
  const message = stringOf(cause.message) ?? ""
  return stringOf(cause.reason) ?? /\(([^()]+)\)$/.exec(message)?.[1] ?? message.replace(/^Parse Error: /, "")
}

/** The answer was not HTTP the transport could read, or `undefined`. */
const invalidResponse = (chain: ReadonlyArray<Cause>): Classified | undefined => {
  const parser = chain.find(isParserError)
  if (parser !== undefined) {
    const words = parserWords(parser)
    const line = quotedLine(parser)
    return {
      reason: "InvalidResponse",
      code: typeof parser.code === "string" ? parser.code : "HTTPParserError",
      detail: `${notHttp}${words === "" ? "" : ` (${words})`}${line === undefined ? "" : `: "${line}"`}`
    }
  }
  if (chain.some((cause) => cause.code === "ERR_ASSERTION")) {
    return {
      reason: "InvalidResponse",
      code: "ERR_ASSERTION",
      detail: `${notHttp} (the transport's HTTP parser gave up on it, as on a status below 100 such as "HTTP/1.1 099")`
    }
  }
  return undefined
}

interface Classified {
  readonly reason: TransportReason
  readonly code: string | undefined
  readonly detail: string
}

/**
 * Why a request failed: the innermost system code names the reason
 * (wrappers such as "fetch failed" say less), an answer that is not valid
 * HTTP is `InvalidResponse`. `detail` may quote the server's bytes raw: the
 * caller scrubs and escapes it.
 *
 * @internal
 */
export const classify = (cause: unknown): Classified => {
  const chain = chainOf(cause)
  const invalid = invalidResponse(chain)
  if (invalid !== undefined) return invalid
  const coded = [...chain].reverse().find((c) => typeof c.code === "string")
  const code = coded === undefined ? undefined : (coded.code as string)
  const message = [...chain].reverse().find((c) => stringOf(c.message) !== undefined)
  const reason = (code === undefined ? undefined : reasons[code]) ?? "Other"
  const detail =
    (coded === undefined ? stringOf(message?.message) : stringOf(coded.message)) ?? code ?? "request failed"
  return { reason, code, detail }
}
