/**
 * A minimal correct server for engine tests (independent of the mock): every
 * id it is told about exists, with the id as given; it records the raw paths
 * it received and, when asked, echoes the key in a header (a leak).
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import { SpecExample } from "@postpress/schema"
import { listenLoopback } from "../support/loopback.js"

/**
 * The key the tiny server accepts; also the canary searched for in outputs.
 *
 * @since 0.1.0
 */
export const KEY = "pp_live_CANARY_9f8e7d6c5b4a"

/**
 * @since 0.1.0
 */
export interface TinyServer {
  readonly url: string
  readonly paths: ReadonlyArray<string>
  readonly stop: () => Promise<void>
}

const json = (res: Http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify(body))
}

/**
 * A minimal correct server: every id it is told about exists, with the id
 * as given; it records the raw paths it received.
 */
export const startTinyServer = async (options: {
  readonly ids: ReadonlyArray<string>
  readonly reflectKey?: boolean
  /** The key it accepts (default {@link KEY}). */
  readonly key?: string
  /**
   * A leaky, sloppy server for key-hygiene tests: it reads the key from the
   * header or an `api_key` query parameter, compares it trimmed, ignoring
   * case and by prefix, and echoes whatever key it got in every body.
   */
  readonly sloppy?: boolean
}): Promise<TinyServer> => {
  const paths: Array<string> = []
  const accepted = options.key ?? KEY
  const server = Http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    paths.push(req.url ?? "")
    const [target = "", query = ""] = (req.url ?? "").split("?")
    const header = req.headers["x-api-key"]
    const key =
      options.sloppy === true && header === undefined
        ? (new URLSearchParams(query).get("api_key") ?? undefined)
        : header
    const echo = options.reflectKey === true && typeof key === "string" ? { "x-echo": key } : {}
    const said = options.sloppy === true && typeof key === "string" ? { detail: `key "${key}" presented` } : {}
    if (key === undefined) {
      return json(res, 401, { title: "Unauthorized", type: "errors/missing_credentials", status: 401 }, echo)
    }
    const matches =
      options.sloppy === true && typeof key === "string"
        ? accepted.toLowerCase().startsWith(key.trim().toLowerCase()) && key.trim().length > 0
        : key === accepted
    if (!matches) {
      return json(res, 401, { title: "Unauthorized", type: "errors/invalid_credentials", status: 401, ...said })
    }
    const segment =
      (options.sloppy === true ? target.split(/[/;]/).filter((s) => s !== "")[3] : target.split("/").pop()) ?? ""
    let id: string
    try {
      id = decodeURIComponent(segment)
    } catch {
      return json(res, 400, { title: "Bad Request", type: "errors/invalid_parameters", status: 400 }, echo)
    }
    if (options.ids.includes(id)) {
      return json(
        res,
        200,
        { ...(options.sloppy === true ? said : {}), ...SpecExample.retrieveAccountResponse, id },
        echo
      )
    }
    return json(res, 404, { title: "Not Found", type: "errors/resource_not_found", status: 404, ...said }, echo)
  })
  const { origin, stop } = await listenLoopback(server)
  return { url: `${origin}/api`, paths, stop }
}
