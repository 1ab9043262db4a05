/**
 * Sending one contract request and capturing everything the checks need.
 *
 * Requests go through `node:http`/`node:https` rather than `fetch` because
 * the WHATWG URL parser behind `fetch` rewrites dot segments even when they
 * are percent-encoded (`%2E%2E`), which would make the ids `.` and `..`
 * impossible to test; `http.request` sends the path exactly as written.
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import * as Https from "node:https"
import { AccountsApi } from "@postpress/schema"
import * as Effect from "effect/Effect"

/**
 * Which credentials a request carries.
 *
 * @since 0.1.0
 * @category models
 */
export type Credentials = "valid" | "missing" | "invalid"

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
 * One response, or the transport error that replaced it.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome =
  | {
      readonly _tag: "Response"
      readonly status: number
      /** Lower-cased names; repeated headers joined with `, `. */
      readonly headers: Readonly<Record<string, string>>
      readonly body: string
      readonly durationMs: number
    }
  | { readonly _tag: "TransportError"; readonly message: string; readonly code: string | undefined }

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
 * Parses a base URL; `undefined` when it is not an http(s) URL.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTarget = (baseUrl: string): Target | undefined => {
  let base: URL
  try {
    base = new URL(baseUrl)
  } catch {
    return undefined
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") return undefined
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
 * The full URL of a request, as shown in reports and `curl` lines.
 *
 * @since 0.1.0
 * @category encoding
 */
export const urlFor = (target: Target, id: string): string => `${target.base.origin}${pathFor(target, id)}`

const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`

/**
 * A `curl` line that reproduces a request. The valid key is always written
 * as `***`; `--path-as-is` keeps curl from resolving `%2E%2E`-style segments.
 *
 * @since 0.1.0
 * @category formatting
 */
export const curlFor = (request: RequestInfo, invalidKey: string): string => {
  const key =
    request.credentials === "valid"
      ? ` --header ${shellQuote(`${AccountsApi.apiKeyHeader}: ***`)}`
      : request.credentials === "invalid"
        ? ` --header ${shellQuote(`${AccountsApi.apiKeyHeader}: ${invalidKey}`)}`
        : ""
  return `curl --path-as-is --request GET --url ${shellQuote(request.url)}${key} --header 'accept: application/json'`
}

/** Bodies beyond this are drained but not kept: no check needs more. */
const MAX_BODY_BYTES = 1024 * 1024

const agents = new WeakMap<Target, Http.Agent>()

const agentFor = (target: Target, concurrency: number): Http.Agent => {
  let agent = agents.get(target)
  if (agent === undefined) {
    const options = { keepAlive: true, maxSockets: concurrency }
    agent = target.base.protocol === "https:" ? new Https.Agent(options) : new Http.Agent(options)
    agents.set(target, agent)
  }
  return agent
}

/**
 * Closes the keep-alive sockets of a target (call once the run is over so the
 * process can exit).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const release = (target: Target): void => {
  agents.get(target)?.destroy()
  agents.delete(target)
}

const joinHeaders = (raw: Http.IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return out
}

/**
 * Sends one GET and never fails: transport problems become a
 * `TransportError` outcome. Interruption destroys the socket.
 *
 * @since 0.1.0
 * @category sending
 */
export const send = (
  target: Target,
  path: string,
  headers: Readonly<Record<string, string>>,
  options: { readonly timeoutMs: number; readonly concurrency: number }
): Effect.Effect<Outcome> =>
  Effect.async<Outcome>((resume) => {
    const started = performance.now()
    const module = target.base.protocol === "https:" ? Https : Http
    let done = false
    const finish = (outcome: Outcome) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resume(Effect.succeed(outcome))
    }
    const fail = (error: NodeJS.ErrnoException) =>
      finish({ _tag: "TransportError", message: error.message, code: error.code })
    const req = module.request(
      {
        protocol: target.base.protocol,
        hostname: target.base.hostname.replace(/^\[|\]$/g, ""),
        port: target.base.port === "" ? undefined : Number(target.base.port),
        path,
        method: "GET",
        headers,
        agent: agentFor(target, options.concurrency)
      },
      (res) => {
        const chunks: Array<Buffer> = []
        let size = 0
        res.on("data", (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk)
          size += chunk.length
        })
        res.on("error", fail)
        res.on("end", () =>
          finish({
            _tag: "Response",
            status: res.statusCode ?? 0,
            headers: joinHeaders(res.headers),
            body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString("utf8"),
            durationMs: performance.now() - started
          })
        )
      }
    )
    const timer = setTimeout(() => {
      const error: NodeJS.ErrnoException = new Error(`no response within ${options.timeoutMs} ms`)
      error.code = "ETIMEDOUT"
      fail(error)
      req.destroy()
    }, options.timeoutMs)
    req.on("error", fail)
    req.end()
    return Effect.sync(() => {
      done = true
      clearTimeout(timer)
      req.destroy()
    })
  })
