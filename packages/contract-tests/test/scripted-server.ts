/**
 * A loopback server for property tests: correct for the ids it is given
 * (200 with the id as given, 404 otherwise, 401 without or with a wrong
 * key), except that the n-th answer on each path follows a generated script
 * (cycled, offset per path): the API's own 503 envelope, a load balancer's
 * HTML 503 or 502 page, a cache's 304, a 429, a connection reset, an answer
 * cut mid-body. It counts every request that reached it and every 200 it
 * served, so a property can hold a report against what really happened.
 */
import * as Http from "node:http"
import { SpecExample } from "@postpress/schema"
import { listenLoopback } from "./support/loopback.js"

/** What the server does with one request. */
export type Behaviour = "normal" | "503" | "html503" | "html502" | "304" | "429" | "reset" | "cut"

/** Every behaviour, for generators. */
export const behaviours: ReadonlyArray<Behaviour> = [
  "normal",
  "503",
  "html503",
  "html502",
  "304",
  "429",
  "reset",
  "cut"
]

export interface ScriptedServer {
  readonly url: string
  /** Requests that reached the server, per path (every attempt, resets and cut answers included). */
  readonly arrivals: ReadonlyArray<string>
  /** Ids it served a 200 for, to the real key. */
  readonly served200: ReadonlySet<string>
  readonly stop: () => Promise<void>
}

const envelope = (status: number, type: string) => ({ title: "t", type, status, detail: type, instance: "i" })

export const startScriptedServer = async (
  ids: ReadonlyArray<string>,
  key: string,
  script: ReadonlyArray<Behaviour>
): Promise<ScriptedServer> => {
  const served200 = new Set<string>()
  const arrivals: Array<string> = []
  const seen = new Map<string, number>()
  // Hostile ids reach ~25 KB of URL: above Node's default 16 KiB header limit, the server itself would
  // answer 431 without a body (a non-conformant server, whatever the seed).
  const server = Http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    const path = req.url ?? ""
    arrivals.push(path)
    const n = (seen.get(path) ?? 0) + 1
    seen.set(path, n)
    const offset = [...path].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 997, 0)
    const now = script[(offset + n) % script.length] ?? "normal"
    const send = (status: number, type: string, body: unknown) => {
      res.writeHead(status, { "content-type": type })
      res.end(typeof body === "string" ? body : JSON.stringify(body))
    }
    switch (now) {
      case "reset":
        return void req.socket.destroy()
      case "cut":
        res.writeHead(200, { "content-type": "application/json", "content-length": "4096" })
        res.write('{"id":')
        return void setImmediate(() => req.socket.destroy())
      case "503":
        return send(503, "application/json", envelope(503, "errors/network_down"))
      case "html503":
        return send(503, "text/html", "<html>down</html>")
      case "html502":
        return send(502, "text/html; charset=utf-8", "<html>bad gateway</html>")
      case "304":
        res.writeHead(304, { etag: '"v1"' })
        return void res.end()
      case "429":
        res.setHeader("retry-after", "0")
        return send(429, "text/plain", "slow down")
      case "normal":
        break
    }
    const given = req.headers["x-api-key"]
    if (given === undefined) return send(401, "application/json", envelope(401, "errors/missing_credentials"))
    if (given !== key) return send(401, "application/json", envelope(401, "errors/invalid_credentials"))
    let id: string
    try {
      id = decodeURIComponent(path.split("/").pop() ?? "")
    } catch {
      return send(400, "application/json", envelope(400, "errors/unescaped_characters"))
    }
    if (!ids.includes(id) || path.split("/").length !== 5) {
      return send(404, "application/json", envelope(404, "errors/resource_not_found"))
    }
    served200.add(id)
    return send(200, "application/json", { ...SpecExample.retrieveAccountResponse, id })
  })
  const { origin, stop } = await listenLoopback(server)
  return { url: `${origin}/api`, arrivals, served200, stop }
}
