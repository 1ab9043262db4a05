/**
 * `postpress contract proxy` and `postpress contract har` as users run them
 * (the built program, spawned): the listening line, one masked stderr line
 * per violation, the verdict as exit code after SIGTERM or --max-requests,
 * reports and a HAR that `contract har` replays to the same verdict.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { account, envelope } from "../../../client/test/support/fixtures.js"
import { listen } from "../../../client/test/support/server.js"
import { completion, firstLine, oneLine, run, start } from "../support/program.js"

const KEY = "pp_live_CLIPROXY_0123456789"
const dir = mkdtempSync(join(tmpdir(), "postpress-proxy-cli-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A server with one broken rule: it answers 500 to one id. */
const server = () =>
  listen((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" })
      res.end(JSON.stringify(body))
    }
    const id = decodeURIComponent((req.url ?? "").split("?")[0]!.split("/").pop() ?? "")
    if (req.headers["x-api-key"] === undefined) return json(401, envelope("errors/missing_credentials"))
    if (id === "boom") return json(500, envelope("errors/unexpected_error"))
    return json(200, { ...account, id })
  })

const get = (url: string, path: string, key = true) =>
  fetch(`${url}${path}`, { headers: key ? { "X-API-KEY": KEY } : {} }).then(async (r) => ({
    status: r.status,
    body: await r.text()
  }))

describe("postpress contract proxy", () => {
  it("prints its URL, judges, and on SIGTERM writes reports and exits 1 on violations", async () => {
    const target = await server()
    const files = { json: join(dir, "p.json"), junit: join(dir, "p.xml"), har: join(dir, "p.har") }
    try {
      const child = start(
        [
          "contract",
          "proxy",
          "--target",
          `${target.origin}/api`,
          "--json",
          files.json,
          "--junit",
          files.junit,
          "--har",
          files.har
        ],
        { POSTPRESS_API_KEY: KEY }
      )
      const done = completion(child)
      const { url } = JSON.parse(await firstLine(child)) as { url: string }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect((await get(url, `/v1/accounts/${account.id}`)).status).toBe(200)
      expect((await get(url, "/v1/accounts/boom")).status).toBe(500)
      expect((await get(url, "/v1/accounts/x", false)).status).toBe(401)
      // No wait: the proxy prints every event of its exchanges before its reports and summary, signal or not.
      child.kill("SIGTERM")
      const result = await done
      expect(result.code).toBe(1)
      expect(result.stdout.trim().split("\n")).toHaveLength(1)
      expect(result.stderr).toMatch(/violation not_a_server_error: GET \/v1\/accounts\/boom → 500/)
      expect(result.stderr).toContain("3 judged (1 with violations)")
      expect(result.stderr).not.toContain(KEY)
      const report = JSON.parse(readFileSync(files.json, "utf8"))
      expect(report.traffic.judged).toBe(3)
      expect(report.passed).toBe(false)
      expect(readFileSync(files.junit, "utf8")).toContain("not_a_server_error")
      expect(readFileSync(files.har, "utf8")).not.toContain(KEY)
      // The HAR replays to the same verdict.
      const replay = await run(["contract", "har", files.har, "--base-url", `${target.origin}/api`])
      expect(replay.code).toBe(1)
      expect(replay.stdout).toContain("FAIL  not_a_server_error")
    } finally {
      await target.close()
    }
  })

  it("stops by itself after --max-requests judged exchanges, exit 0 when all conform", async () => {
    const target = await server()
    try {
      const child = start(["contract", "proxy", "--target", `${target.origin}/api`, "--max-requests", "2"])
      const done = completion(child)
      const { url } = JSON.parse(await firstLine(child)) as { url: string }
      await get(url, "/elsewhere")
      await get(url, "/v1/accounts/a")
      await get(url, "/v1/accounts/b")
      const result = await done
      expect(result.code).toBe(0)
      expect(result.stderr).toContain(
        "PASS: 3 exchanges, 2 judged (none with violations); not judged: 1 not the operation (method or path)"
      )
    } finally {
      await target.close()
    }
  })

  it("a target that is not a URL is one line and exit 2", async () => {
    const result = await run(["contract", "proxy", "--target", "not a url"])
    expect(result.code).toBe(2)
    expect(oneLine(result.stderr)).toBe('postpress contract proxy: --target: not an absolute URL: "not a url"')
  })
})

describe("postpress contract har", () => {
  it("a file that is not a HAR is one line and exit 2", async () => {
    const file = join(dir, "x.har")
    writeFileSync(file, JSON.stringify({ hello: "world" }))
    const result = await run(["contract", "har", file])
    expect(result.code).toBe(2)
    expect(oneLine(result.stderr)).toContain("x.har: not a HAR 1.2 file")
    const missing = await run(["contract", "har", join(dir, "missing.har")])
    expect(missing.code).toBe(2)
    expect(oneLine(missing.stderr)).toContain("cannot read")
  })
})
