/**
 * `postpress accounts get` as a user runs it, in-process (its own Console and
 * environment) against loopback servers: stdout, the one line on stderr (JSON
 * for a failed request, `postpress accounts get: …` for a usage error) and the
 * exit code. Signals are tested on the spawned program (signals.test.ts).
 */
import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { account, envelope } from "../../client/test/support/fixtures.js"
import { json, type Loopback, listen } from "../../client/test/support/server.js"
import { runInProcess } from "./support/inProcess.js"
import { oneLine, type Run } from "./support/program.js"

const postpress = runInProcess

/** The single JSON line a failure must print. */
const errorLine = (result: Run): Record<string, unknown> =>
  JSON.parse(oneLine(result.stderr)) as Record<string, unknown>

const key = `pp_cli_canary_${randomUUID()}`
let server: Loopback

beforeAll(async () => {
  server = await listen((req, res) => {
    const echo = String(req.headers["x-api-key"])
    switch (decodeURIComponent(req.url?.split("/").pop() ?? "")) {
      case account.id:
        return json(res, 200, account)
      case "missing":
        return json(res, 404, envelope("errors/resource_not_found", { detail: echo }))
      case "busy":
        return json(res, 503, envelope("errors/network_down"))
      case "forbidden":
        return json(res, 403, `no access for ${echo}`)
      case "limited":
        return json(res, 429, { message: "slow down" }, { "retry-after": "120" })
      case "broken":
        return json(res, 200, { ...account, sources: echo })
      default:
        return undefined // hangs
    }
  })
})
afterAll(() => server.close())

const base = () => ["--base-url", `${server.origin}/api`]

describe("postpress accounts get", () => {
  it("prints the account on stdout and exits 0; --pretty indents it", async () => {
    const [plain, pretty] = await Promise.all([
      postpress(["accounts", "get", ...base(), account.id], { POSTPRESS_API_KEY: key }),
      postpress(["accounts", "get", "--pretty", account.id], {
        POSTPRESS_API_KEY: key,
        POSTPRESS_BASE_URL: `${server.origin}/api`
      })
    ])
    expect(plain).toMatchObject({ code: 0, stderr: "" })
    expect(plain.stdout.endsWith("\n") && plain.stdout.split("\n")).toHaveLength(2)
    expect(JSON.parse(plain.stdout)).toEqual(account)
    expect(pretty).toMatchObject({ code: 0, stderr: "" })
    expect(pretty.stdout).toBe(`${JSON.stringify(JSON.parse(plain.stdout), null, 2)}\n`)
    const seen = server.requests.filter((r) => r.url === `/api/v1/accounts/${account.id}`)
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen.every((r) => r.headers["x-api-key"] === key)).toBe(true)
  })

  it("maps failures to one JSON line and exit codes 1, 3 and 4, never printing the key", async () => {
    const env = { POSTPRESS_API_KEY: key }
    const [notFound, forbidden, busy, broken, slow] = await Promise.all([
      postpress(["accounts", "get", ...base(), "missing"], env),
      postpress(["accounts", "get", ...base(), "forbidden"], env),
      postpress(["accounts", "get", ...base(), "--max-retries", "1", "--timeout", "2s", "busy"], env),
      postpress(["accounts", "get", ...base(), "broken"], env),
      postpress(["accounts", "get", ...base(), "--timeout", "300ms", "--max-retries", "0", "slow"], env)
    ])
    expect(notFound.code).toBe(1)
    expect(errorLine(notFound)).toMatchObject({
      _tag: "NotFound",
      status: 404,
      type: "errors/resource_not_found",
      attempts: 1,
      detail: "***"
    })
    expect(forbidden.code).toBe(1)
    expect(errorLine(forbidden)).toMatchObject({
      _tag: "UnexpectedStatus",
      status: 403,
      body: "no access for ***"
    })
    expect(busy.code).toBe(1)
    expect(errorLine(busy)).toMatchObject({
      _tag: "ServiceUnavailable",
      status: 503,
      type: "errors/network_down",
      attempts: 2
    })
    expect(broken.code).toBe(3)
    expect(errorLine(broken)).toMatchObject({ _tag: "ContractViolation", status: 200, attempts: 1 })
    expect(slow.code).toBe(4)
    expect(errorLine(slow)).toMatchObject({ _tag: "TimeoutError", scope: "attempt", attempts: 1, limitMs: 300 })
    for (const run of [notFound, forbidden, busy, broken, slow]) {
      expect(run.stdout).toBe("")
      expect(typeof errorLine(run).message).toBe("string")
      expect(run.stderr).not.toContain(key)
    }
  })

  it("429: RateLimited, exit 1, with the server's Retry-After", async () => {
    const run = await postpress(["accounts", "get", ...base(), "limited"], { POSTPRESS_API_KEY: key })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe("")
    expect(errorLine(run)).toMatchObject({ _tag: "RateLimited", status: 429, retryAfterMs: 120_000 })
    expect(run.stderr).not.toContain(key)
  })

  it("exits 4 on a refused connection", async () => {
    const closed = await listen(() => {})
    await closed.close()
    const run = await postpress(["accounts", "get", "--base-url", closed.origin, "--max-retries", "0", "x"], {
      POSTPRESS_API_KEY: key
    })
    expect(run.code).toBe(4)
    expect(errorLine(run)).toMatchObject({ _tag: "TransportError", reason: "ConnectionRefused", attempts: 1 })
  })

  it("usage errors exit 2 with one text line, the rule of every command: missing key, bad flags, bad id", async () => {
    const env = { POSTPRESS_API_KEY: key }
    const runs = await Promise.all([
      postpress(["accounts", "get", ...base(), "ok"]),
      postpress(["accounts", "get", ...base(), "--timeout", "soon", "ok"], env),
      postpress(["accounts", "get", ...base(), "--max-retries", "-1", "ok"], env),
      postpress(["accounts", "get", ...base(), ".."], env),
      postpress(["accounts", "get", ...base(), "--bogus"], env),
      postpress(["accounts", "get", ...base(), "--max-retries", "two", "ok"], env),
      postpress(["accounts"], env)
    ])
    const lines = runs.map((run) => {
      expect(run.code).toBe(2)
      expect(run.stdout).toBe("")
      const line = oneLine(run.stderr)
      expect(line).toMatch(/^postpress accounts( get)?: /)
      return line
    })
    expect(lines[0]).toBe("postpress accounts get: POSTPRESS_API_KEY is not set")
    expect(lines[1]).toContain("--timeout: expected a positive duration like 500ms")
    expect(lines[2]).toBe("postpress accounts get: --max-retries: expected a whole number ≥ 0; got -1")
    expect(lines[3]).toContain("..")
    expect(lines[4]).toBe(
      'postpress accounts get: unknown option --bogus (an id that starts with "-" goes after "--": postpress accounts get -- --bogus)'
    )
    expect(lines[5]).toBe('postpress accounts get: --max-retries: expected a whole number; got "two"')
    expect(lines[6]).toBe("postpress accounts: missing command (get); see postpress accounts --help")
    expect(server.requests.some((r) => r.url.includes("bogus") || r.url.includes(".."))).toBe(false)
  })

  it("--help documents flags, environment and exit codes", async () => {
    const run = await postpress(["accounts", "get", "--help"])
    expect(run.code).toBe(0)
    for (const text of [
      "--base-url",
      "--timeout",
      "--max-retries",
      "--pretty",
      "POSTPRESS_API_KEY",
      "POSTPRESS_BASE_URL"
    ]) {
      expect(run.stdout).toContain(text)
    }
    expect(run.stdout).toMatch(
      /Exit codes:\n {2}0 .*\n {2}1 +API error.*\n {2}2 +usage error.*\n {2}3 +contract violation.*\n {2}4 +transport error or timeout/
    )
    expect(run.stdout).not.toContain("\u001b[")
  })
})
