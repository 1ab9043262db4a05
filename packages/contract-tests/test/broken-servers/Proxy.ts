/**
 * A mutating proxy in front of the real mock server: each deliberately broken
 * server of the self-test is the mock plus ONE switch, a {@link Mutation}
 * that may rewrite the request (e.g. inject a valid key) and/or the
 * response (e.g. drop a required field).
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import type { ContractConfig } from "../../src/Contract.js"
import type { CheckName } from "../../src/ContractCheck.js"
import { listenLoopback } from "../support/loopback.js"

/**
 * What the self-test knows about the mock behind the proxy.
 *
 * @since 0.1.0
 */
export interface Fixtures {
  readonly upstream: string
  readonly apiKey: string
  readonly ownIds: ReadonlyArray<string>
  readonly foreignKey: string
  readonly foreignIds: ReadonlyArray<string>
  /** One valid account body of workspace 0, as the mock serves it. */
  readonly sampleAccount: Record<string, unknown>
}

/**
 * The request as the proxy saw it (id decoded from the last path segment).
 *
 * @since 0.1.0
 */
export interface Incoming {
  /** The raw request target, query string included. */
  readonly path: string
  readonly id: string | undefined
  readonly key: string | undefined
  /** The key header's name exactly as the client spelled it (HTTP names are case-insensitive). */
  readonly keyHeader?: string | undefined
}

/**
 * A response on its way back.
 *
 * @since 0.1.0
 */
export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * One broken (or, for controls, correct) server.
 *
 * @since 0.1.0
 */
export interface Mutation {
  readonly name: string
  /** The one rule this server breaks. */
  readonly rule: string
  /** The check that must fail; `undefined` for a control that must pass. */
  readonly expect: CheckName | undefined
  /** Checks allowed to fail alongside (rules that overlap by design). */
  readonly also?: ReadonlyArray<CheckName>
  readonly config?: Partial<ContractConfig>
  readonly request?: (incoming: Incoming, fixtures: Fixtures) => Incoming
  readonly response?: (answer: Answer, incoming: Incoming, fixtures: Fixtures, attempt: number) => Answer
}

const forward = (fixtures: Fixtures, incoming: Incoming, accept: string | undefined): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const url = new URL(fixtures.upstream)
    const headers: Record<string, string> = {}
    if (accept !== undefined) headers.accept = accept
    if (incoming.key !== undefined) headers["x-api-key"] = incoming.key
    const req = Http.request(
      {
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname.replace(/\/+$/, "")}${incoming.path}`,
        method: "GET",
        headers
      },
      (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("error", reject)
        res.on("end", () => {
          const out: Record<string, string> = {}
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === "string" && name !== "content-length" && name !== "transfer-encoding") {
              out[name] = value
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString("utf8") })
        })
      }
    )
    req.on("error", reject)
    req.end()
  })

const decodeId = (path: string): string | undefined => {
  const segment = path.split("?")[0]!.split("/").pop()
  if (segment === undefined) return undefined
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/**
 * A running proxy whose mutation can be switched between runs.
 *
 * @since 0.1.0
 */
export interface MutatingProxy {
  readonly url: string
  use(mutation: Mutation | undefined): void
  stop(): Promise<void>
}

/**
 * Starts the proxy on 127.0.0.1 (free port).
 *
 * @since 0.1.0
 */
export const startProxy = async (fixtures: Fixtures): Promise<MutatingProxy> => {
  let current: Mutation | undefined
  const attempts = new Map<string, number>()
  // Transparent for very long hostile ids: the mock behind decides on limits.
  const server = Http.createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
    const path = req.url ?? "/"
    const key = req.headers["x-api-key"]
    const keyHeader = req.rawHeaders.find((name, i) => i % 2 === 0 && name.toLowerCase() === "x-api-key")
    const seen: Incoming = { path, id: decodeId(path), key: typeof key === "string" ? key : undefined, keyHeader }
    const mutation = current
    const sent = mutation?.request?.(seen, fixtures) ?? seen
    const tag = `${seen.key ?? ""} ${path}`
    const attempt = (attempts.get(tag) ?? 0) + 1
    attempts.set(tag, attempt)
    forward(fixtures, sent, req.headers.accept)
      .then((answer) => {
        const out = mutation?.response?.(answer, seen, fixtures, attempt) ?? answer
        res.writeHead(out.status, { ...out.headers, "content-length": Buffer.byteLength(out.body) })
        res.end(out.body)
      })
      .catch((error: unknown) => {
        res.writeHead(502, { "content-type": "text/plain" })
        res.end(`proxy: ${String(error)}`)
      })
  })
  const { origin, stop } = await listenLoopback(server)
  return {
    url: origin,
    use: (mutation) => {
      current = mutation
      attempts.clear()
    },
    stop
  }
}
