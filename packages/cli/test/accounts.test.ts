/**
 * `postpress accounts get` as a user runs it, in-process (its own Console and
 * environment) against loopback servers: stdout, the one line on stderr (JSON
 * for a failed request, `postpress accounts get: …` for a usage error) and the
 * exit code. Signals are tested on the spawned program (integration/signals.test.ts).
 */
import { randomUUID } from "node:crypto"
import { AccountsClient } from "@postpress/client"
import { Printable } from "@postpress/schema"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { account, envelope } from "../../client/test/support/fixtures.js"
import { answering, json, type Loopback, listen } from "../../client/test/support/server.js"
import { runInProcess } from "./support/inProcess.js"
import { oneLine, type Run } from "./support/program.js"

const postpress = runInProcess

/** The single JSON line a failure must print. */
const errorLine = (result: Run): Record<string, unknown> =>
  JSON.parse(oneLine(result.stderr)) as Record<string, unknown>

const key = `pp_cli_canary_${randomUUID()}`
let server: Loopback

/** What the `hostile-N` ids answer: text a test chose, put where a server can put it. */
const hostile = new Map<string, { readonly kind: HostileKind; readonly text: string }>()
type HostileKind = "page" | "envelope" | "gateway" | "account" | "violation"

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
      case "gateway":
        res.writeHead(503, { "content-type": "text/html" })
        return res.end(`<html><body><h1>503 Service Temporarily Unavailable</h1>${echo}</body></html>`)
      case "down-json":
        return json(res, 503, { error: "down" })
      default: {
        const answer = hostile.get(decodeURIComponent(req.url?.split("/").pop() ?? ""))
        if (answer === undefined) return undefined // hangs
        const { kind, text } = answer
        if (kind === "page") return res.writeHead(403, { "content-type": "text/plain" }).end(text)
        if (kind === "gateway") return res.writeHead(502, { "content-type": "text/html" }).end(`<html>${text}`)
        if (kind === "envelope") return json(res, 404, envelope("errors/resource_not_found", { detail: text }))
        if (kind === "account") return json(res, 200, { ...answering(req, account), name: text })
        return json(res, 200, { ...answering(req, account), type: text })
      }
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

  it("an outage (a gateway's page after the retries) exits 4 with an Outage line, never a ContractViolation", async () => {
    const env = { POSTPRESS_API_KEY: key }
    const [outage, jsonDown] = await Promise.all([
      postpress(["accounts", "get", ...base(), "--max-retries", "1", "gateway"], env),
      postpress(["accounts", "get", ...base(), "--max-retries", "0", "down-json"], env)
    ])
    expect(outage.code).toBe(4)
    expect(outage.stdout).toBe("")
    const line = errorLine(outage)
    expect(line).toMatchObject({
      _tag: "Outage",
      status: 503,
      contentType: "text/html",
      reason: "gateway page: 503 text/html",
      attempts: 2
    })
    expect(String(line.message)).toMatch(
      /^outage in front of the API \(gateway page: 503 text\/html\) after 2 attempts: /
    )
    expect(String(line.body)).toContain("503 Service Temporarily Unavailable")
    expect(outage.stderr).not.toContain(key)
    // A JSON 503 that is no envelope is the API's answer, and still a violation.
    expect(jsonDown.code).toBe(3)
    expect(errorLine(jsonDown)).toMatchObject({ _tag: "ContractViolation", status: 503 })
  })

  it("a base URL with an empty query or fragment is a usage error naming its source; nothing is sent", async () => {
    const before = server.requests.length
    const env = { POSTPRESS_API_KEY: key }
    const runs = await Promise.all([
      postpress(["accounts", "get", "--base-url", `${server.origin}/api?`, "acc_1"], env),
      postpress(["accounts", "get", `--base-url=${server.origin}/api#`, "acc_1"], env),
      postpress(["accounts", "get", "acc_1"], { ...env, POSTPRESS_BASE_URL: `${server.origin}/api?` })
    ])
    expect(runs.map((run) => [run.code, run.stdout, oneLine(run.stderr)])).toEqual([
      [2, "", "postpress accounts get: --base-url: must not have a query (?)"],
      [2, "", "postpress accounts get: --base-url: must not have a fragment (#)"],
      [2, "", "postpress accounts get: POSTPRESS_BASE_URL: must not have a query (?)"]
    ])
    expect(server.requests.length).toBe(before)
  })

  it("property: no control byte a server sends reaches stdout or stderr raw; the JSON still holds it exactly", async () => {
    const control = fc.constantFrom(
      "\r",
      "\n",
      "\t",
      "\u0000",
      "\u0007",
      "\u001b[2K",
      "\u001b[1A",
      "\u001b]52;c;aGk=\u0007",
      "\u007f",
      "\u009b",
      "\u0085"
    )
    const text = fc
      .array(fc.oneof(control, fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 8 })
      .map((parts) => parts.join(""))
    const kinds: ReadonlyArray<HostileKind> = ["page", "envelope", "gateway", "account", "violation"]
    let runs = 0
    await fc.assert(
      fc.asyncProperty(text, async (hostileText) => {
        const results = await Promise.all(
          kinds.map((kind) => {
            const id = `hostile-${randomUUID()}`
            hostile.set(id, { kind, text: hostileText })
            return postpress(["accounts", "get", ...base(), "--max-retries", "0", id], { POSTPRESS_API_KEY: key })
          })
        )
        runs += results.length
        for (const run of results) {
          for (const line of `${run.stdout}${run.stderr}`.split("\n"))
            expect(Printable.hasControl(line), line).toBe(false)
        }
        const [page, notFound, gateway, found, violation] = results.map((run) =>
          run.code === 0 ? JSON.parse(run.stdout) : errorLine(run)
        )
        expect(page).toMatchObject({ _tag: "UnexpectedStatus", status: 403, body: hostileText })
        expect(notFound).toMatchObject({ _tag: "NotFound", detail: hostileText })
        expect(gateway).toMatchObject({ _tag: "Outage", status: 502, body: `<html>${hostileText}` })
        expect(found.name).toBe(hostileText)
        expect(violation._tag).toBe("ContractViolation")
        expect(results.map((run) => run.code)).toEqual([1, 1, 4, 0, 3])
      }),
      { numRuns: 20, seed: 24 }
    )
    expect(runs).toBe(100)
  })

  it("--pretty output escapes DEL and C1 too, and parses back to the same account", async () => {
    const id = `hostile-${randomUUID()}`
    hostile.set(id, { kind: "account", text: "a\u009b2Jb\u007fc\u001bd" })
    const run = await postpress(["accounts", "get", ...base(), "--pretty", id], { POSTPRESS_API_KEY: key })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('"name": "a\\u009b2Jb\\u007fc\\u001bd"')
    expect(JSON.parse(run.stdout).name).toBe("a\u009b2Jb\u007fc\u001bd")
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
    // The client's rule, in the client's words (its Config Schema), named after the flag.
    const rule = Schema.decodeUnknownEither(AccountsClient.Config)({ apiKey: Redacted.make(key), maxRetries: -1 })
    const [issue] = Either.isLeft(rule) ? ParseResult.ArrayFormatter.formatErrorSync(rule.left) : []
    expect(issue?.path).toEqual(["maxRetries"])
    expect(lines[2]).toBe(`postpress accounts get: --max-retries: ${issue?.message}`)
    expect(lines[3]).toContain("..")
    expect(lines[4]).toBe(
      'postpress accounts get: unknown option --bogus (an id that starts with "-" goes after "--": postpress accounts get -- --bogus)'
    )
    expect(lines[5]).toBe('postpress accounts get: --max-retries: expected a whole number, got "two"')
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
      /Exit codes:\n {2}0 .*\n {2}1 +API error.*\n {2}2 +usage error.*\n {2}3 +contract violation.*\n {2}4 +transport error, timeout, or an outage/
    )
    expect(run.stdout).not.toContain("\u001b[")
  })
})
