/**
 * `postpress accounts get --unknown-types keep`, in-process against a
 * loopback server: an account of a type none of the 14 is printed as
 * received (exit 0) when kept, is a contract violation (exit 3) by default
 * and with `fail`; a value that is neither is a usage error naming the flag.
 */
import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { account } from "../../client/test/support/fixtures.js"
import { answering, json, type Loopback, listen } from "../../client/test/support/server.js"
import { runInProcess as postpress } from "./support/inProcess.js"
import { oneLine } from "./support/program.js"

const key = `pp_cli_canary_${randomUUID()}`
const bluesky = { ...account, type: "BLUESKY", connection_params: { im: { handle: "ada.example" } } }
let server: Loopback

beforeAll(async () => {
  server = await listen((req, res) => json(res, 200, answering(req, bluesky)))
})
afterAll(() => server.close())

const get = (...flags: Array<string>) =>
  postpress(["accounts", "get", "--base-url", `${server.origin}/api`, "--max-retries", "0", ...flags, account.id], {
    POSTPRESS_API_KEY: key
  })

describe("postpress accounts get --unknown-types", () => {
  it("keep: prints an account of a 15th type as received, exit 0", async () => {
    const result = await get("--unknown-types", "keep")
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(bluesky)
  })

  it("by default and with fail: a contract violation naming the type, exit 3", async () => {
    for (const result of await Promise.all([get(), get("--unknown-types", "fail")])) {
      expect(result.code).toBe(3)
      expect(result.stdout).toBe("")
      const line = JSON.parse(oneLine(result.stderr)) as { _tag: string; issues: Array<string> }
      expect(line._tag).toBe("ContractViolation")
      expect(line.issues.join("\n")).toMatch(/^type: expected .*got "BLUESKY"/m)
    }
  })

  it("a value that is neither: one usage line naming the flag, exit 2, nothing sent", async () => {
    const before = server.requests.length
    const result = await get("--unknown-types", "maybe")
    expect(result.code).toBe(2)
    expect(oneLine(result.stderr)).toBe(
      'postpress accounts get: --unknown-types: expected "fail" or "keep", got "maybe"'
    )
    expect(server.requests.length).toBe(before)
  })
})
