/**
 * `postpress contract` staging flags end to end (the built program,
 * spawned): `--html` writes one self-contained page, `--fail-on-drift` turns
 * unknown fields into exit 1 naming them, `--max-response-time` reports slow
 * answers with a curl line, `--rate-limit` is accepted and validated, and a
 * fully throttled staging is INCONCLUSIVE (exit 4), never a pass. The key
 * never appears in any output (canary).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { account, envelope } from "../../../client/test/support/fixtures.js"
import { json, listen } from "../../../client/test/support/server.js"
import {
  KEY as STAGING_KEY,
  startStagingServer as startThrottlingServer
} from "../../../contract-tests/test/staging-servers.js"
import { oneLine, run } from "../support/program.js"

const KEY = "pp_live_CLI_STAGING_7d6c5b4a3f2e"

/** A correct server for `ids` that can answer one id slowly and add fields the spec does not know. */
const startStagingServer = async (options: {
  readonly ids: ReadonlyArray<string>
  readonly extraFields?: boolean
  readonly delayMs?: (path: string) => number
}) => {
  const server = await listen((req, res) => {
    const path = req.url ?? ""
    const answer = () => {
      const key = req.headers["x-api-key"]
      if (key === undefined) return json(res, 401, envelope("errors/missing_credentials"))
      if (key !== KEY) return json(res, 401, envelope("errors/invalid_credentials"))
      let id: string
      try {
        id = decodeURIComponent(path.split("/").pop() ?? "")
      } catch {
        return json(res, 400, envelope("errors/unescaped_characters"))
      }
      if (!options.ids.includes(id)) return json(res, 404, envelope("errors/resource_not_found"))
      const body = { ...account, id }
      if (options.extraFields !== true) return json(res, 200, body)
      const im = body.connection_params.im
      return json(res, 200, {
        ...body,
        brand_new_top_level: "v2",
        connection_params: { im: { ...im, organizations: im.organizations.map((o) => ({ ...o, org_extra: 1 })) } }
      })
    }
    const delay = options.delayMs?.(path) ?? 0
    if (delay > 0) setTimeout(answer, delay)
    else answer()
  })
  return { url: `${server.origin}/api`, stop: server.close }
}

const dir = mkdtempSync(join(tmpdir(), "contract-staging-cli-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ids = ["acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR"]
const contract = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => run(["contract", ...args], env)
const against = (url: string, args: ReadonlyArray<string>) =>
  contract(["--base-url", url, "--runs", "2", "--exclude-checks", "security", ...args], {
    POSTPRESS_API_KEY: KEY,
    POSTPRESS_ACCOUNT_IDS: ids.join(",")
  })

describe.concurrent("postpress contract, staging flags", () => {
  it("--html FILE: the default run writes a self-contained page with the verdict", async () => {
    const html = join(dir, "report.html")
    const { code, stdout } = await contract(["--runs", "5", "--seed", "3", "--html", html])
    expect(code).toBe(0)
    expect(stdout).toContain("Timing: ")
    const page = readFileSync(html, "utf8")
    expect(page.startsWith("<!doctype html>")).toBe(true)
    // The page's markup is the HTML report's own (ContractHtml); the verdict element says PASS.
    expect(page).toMatch(
      /<span class="verdict[^"]*" id="verdict">(?:<span aria-hidden="true">[^<]*<\/span> )?PASS<\/span>/
    )
    // Self-contained: no script, stylesheet or outside resource (an SVG fill may point into the page: url(#id)).
    expect(page).not.toMatch(/<script|<link|@import|url\((?!#)/i)
  })

  it("--fail-on-drift: unknown fields fail the run (exit 1) and are named; without it they are reported", async () => {
    const server = await startStagingServer({ ids, extraFields: true })
    try {
      const json = join(dir, "drift-lenient.json")
      const lenient = await against(server.url, ["--json", json])
      // The JSON file is written by the program itself: it tells the verdict and the drift even if stdout were cut.
      const written = JSON.parse(readFileSync(json, "utf8"))
      expect(written.verdict, written.inconclusiveReasons.join("; ")).toBe("pass")
      expect(written.drift.unknownFields).toHaveLength(2)
      expect(lenient.code).toBe(0)
      // The human report is whole: its verdict line after the drift section, then where the report went.
      expect(lenient.stdout).toMatch(
        /Drift: 2 unknown fields \(not in the spec, allowed\)[\s\S]*\nResult: PASS \([^\n]*\)\nreports: [^\n]*\n$/
      )
      expect(lenient.stdout.trimEnd().split("\n").at(-1)).toBe(`reports: ${json}`)
      const strictJson = join(dir, "drift.json")
      const strict = await against(server.url, ["--fail-on-drift", "--json", strictJson])
      expect(strict.code).toBe(1)
      expect(strict.stdout).toContain(
        "drift: the unknown field connection_params.im.organizations[].org_extra was in 1 response (--fail-on-drift)"
      )
      expect(JSON.parse(readFileSync(strictJson, "utf8")).drift.unknownFields).toContainEqual({
        path: "brand_new_top_level",
        count: 1
      })
      for (const text of [lenient.stdout, lenient.stderr, strict.stdout, strict.stderr]) expect(text).not.toContain(KEY)
    } finally {
      await server.stop()
    }
  })

  it("--max-response-time D: a slower answer fails response_time with its curl line", async () => {
    const server = await startStagingServer({ ids, delayMs: (path) => (path.endsWith(ids[0]!) ? 150 : 0) })
    try {
      const { code, stdout } = await against(server.url, ["--max-response-time", "75ms", "--rate-limit", "20"])
      expect(code).toBe(1)
      expect(stdout).toMatch(/FAIL {2}response_time/)
      expect(stdout).toMatch(/response_time: answered in \d+ ms, over the maximum of 75 ms/)
      expect(stdout).toContain(`repro:   curl --path-as-is --request GET --url '${server.url}/v1/accounts/${ids[0]}'`)
      expect(stdout).toContain("rate limit 20/s")
      expect(stdout).not.toContain(KEY)
    } finally {
      await server.stop()
    }
  })

  it("a fully throttled staging (every answer 429) is INCONCLUSIVE: exit 4, never a pass", async () => {
    const server = await startThrottlingServer({
      ids,
      throttle: (path) => (path.includes("/v1/accounts/") ? "0" : undefined)
    })
    try {
      const { code, stdout } = await contract(
        ["--base-url", server.url, "--runs", "2", "--exclude-checks", "security", "--foreign-account-id", "acc_other"],
        { POSTPRESS_API_KEY: STAGING_KEY, POSTPRESS_ACCOUNT_IDS: ids.join(",") }
      )
      expect(stdout).not.toContain("Result: PASS")
      expect(stdout).toMatch(/\nResult: INCONCLUSIVE \(/)
      expect(stdout).toMatch(/\nNot judged: .*answers were 429 after retries/)
      expect(code).toBe(4)
    } finally {
      await server.stop()
    }
  })

  it("bad values are usage errors (exit 2, one line)", async () => {
    const zero = await contract(["--base-url", "http://127.0.0.1:9/api", "--rate-limit", "0"], {
      POSTPRESS_API_KEY: KEY
    })
    expect(zero.code).toBe(2)
    expect(oneLine(zero.stderr)).toMatch(/--rate-limit: expected an integer ≥ 1, got 0/)
    const duration = await contract(["--max-response-time", "soon"])
    expect(duration.code).toBe(2)
    expect(oneLine(duration.stderr)).toContain("--max-response-time")
  })
})
