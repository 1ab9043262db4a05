/**
 * The built `postpress` program keeps an account of a type none of the 14
 * when asked (`--unknown-types keep`: printed as received, exit 0) and fails
 * on it otherwise (exit 3). Spawned, against a loopback server.
 */
import { afterAll, beforeAll, expect, it } from "vitest"
import { account } from "../../../client/test/support/fixtures.js"
import { answering, json, type Loopback, listen } from "../../../client/test/support/server.js"
import { run } from "../support/program.js"

const bluesky = { ...account, type: "BLUESKY", connection_params: { im: { handle: "ada.example" } } }
let server: Loopback

beforeAll(async () => {
  server = await listen((req, res) => json(res, 200, answering(req, bluesky)))
})
afterAll(() => server.close())

it("postpress accounts get --unknown-types keep prints a 15th type (exit 0); without it, exit 3", async () => {
  const args = ["accounts", "get", "--base-url", `${server.origin}/api`, "--max-retries", "0"]
  const env = { POSTPRESS_API_KEY: "pp_test_key_0123456789" }
  const [kept, strict] = await Promise.all([
    run([...args, "--unknown-types", "keep", account.id], env),
    run([...args, account.id], env)
  ])
  expect(kept.code).toBe(0)
  expect(JSON.parse(kept.stdout)).toEqual(bluesky)
  expect(strict.code).toBe(3)
  expect(strict.stderr).toContain('"ContractViolation"')
})
