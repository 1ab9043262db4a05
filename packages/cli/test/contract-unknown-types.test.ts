/**
 * `postpress contract --unknown-types keep`, in-process against a loopback
 * server whose accounts are of a type none of the 14: drift named in the
 * summary (exit 0), a failure only with --fail-on-drift (exit 1); by default
 * a response_schema violation (exit 1); a value that is neither, a usage
 * error naming the flag (exit 2).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { account, envelope } from "../../client/test/support/fixtures.js"
import { json, type Loopback, listen, requestedId } from "../../client/test/support/server.js"
import { runInProcess as postpress } from "./support/inProcess.js"
import { oneLine } from "./support/program.js"

const key = "pp_test_key_0123456789"
const bluesky = { ...account, type: "BLUESKY", connection_params: { im: { handle: "ada.example" } } }
let server: Loopback

beforeAll(async () => {
  // The account, of a later provider, for its id; 404 for any other (hostile ids and paths included).
  server = await listen((req, res) =>
    requestedId(req) === account.id ? json(res, 200, bluesky) : json(res, 404, envelope("errors/resource_not_found"))
  )
})
afterAll(() => server.close())

const contract = (...flags: Array<string>) =>
  postpress(
    [
      "contract",
      "--base-url",
      `${server.origin}/api`,
      "--account-id",
      account.id,
      "--checks",
      "response_schema",
      "--seed",
      "1",
      ...flags
    ],
    { POSTPRESS_API_KEY: key }
  )

describe("postpress contract --unknown-types", () => {
  it("keep: the type is drift, named in the summary; exit 0", async () => {
    const result = await contract("--unknown-types", "keep")
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("Drift: 1 unknown account type (not in the spec, allowed)")
    expect(result.stdout).toMatch(/unknown account type BLUESKY {2}in \d+ responses?/)
  })

  it("keep with --fail-on-drift: a response_schema failure naming the type; exit 1", async () => {
    const result = await contract("--unknown-types", "keep", "--fail-on-drift")
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/drift: the unknown account type BLUESKY was in \d+ responses? \(--fail-on-drift\)/)
  })

  it("by default: a response_schema violation; exit 1", async () => {
    const result = await contract()
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/type: expected .*got "BLUESKY"/)
    expect(result.stdout).not.toContain("unknown account type")
  })

  it("a value that is neither: one usage line naming the flag; exit 2", async () => {
    const result = await contract("--unknown-types", "sometimes")
    expect(result.code).toBe(2)
    expect(oneLine(result.stderr)).toBe(
      'postpress contract: --unknown-types: expected "fail" or "keep", got "sometimes"'
    )
  })
})
