/**
 * `describeContract` never shows a run that judged nothing as green: against
 * a staging whose every answer is a 503 envelope (a loopback server), a
 * separate vitest process runs the fixture, and its JSON results say that
 * each inconclusive check FAILED with its reason, and that the checks lacking
 * their input were skipped with the missing flag in their title.
 */
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, expect, it } from "vitest"
import { KEY, startStagingServer, unavailable } from "../staging-servers.js"

const here = dirname(fileURLToPath(import.meta.url))
const fixture = join(here, "fixtures", "describe-contract")
const vitestBin = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs")
const out = mkdtempSync(join(tmpdir(), "describe-contract-"))
afterAll(() => rmSync(out, { recursive: true, force: true }))

interface AssertionResult {
  readonly title: string
  readonly fullName: string
  readonly status: "passed" | "failed" | "skipped" | "pending" | "todo"
  readonly failureMessages: ReadonlyArray<string>
}

it("an inconclusive check fails its test with the reason; a check not run is skipped, its title naming the flag", async () => {
  const server = await startStagingServer({ ids: ["acc_1"], override: () => unavailable })
  const results = join(out, "results.json")
  try {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        process.execPath,
        [vitestBin, "run", "--root", fixture, "--reporter=json", `--outputFile=${results}`],
        { env: { ...process.env, DOWN_URL: server.url, DOWN_KEY: KEY }, stdio: "ignore" }
      )
      child.on("close", resolve)
    })
    expect(code).toBe(1)
  } finally {
    await server.stop()
  }
  const report = JSON.parse(readFileSync(results, "utf8")) as {
    readonly testResults: ReadonlyArray<{ readonly assertionResults: ReadonlyArray<AssertionResult> }>
  }
  const tests = report.testResults.flatMap((file) => file.assertionResults)
  const byTitle = (title: string) => tests.find((t) => t.title === title || t.title.startsWith(`${title} (`))!
  const knownAccounts = byTitle("known_accounts")
  expect(knownAccounts.status).toBe("failed")
  expect(knownAccounts.failureMessages.join("\n")).toContain(
    "known_accounts: inconclusive: 0 requests judged: 1 answer was 503 after retries"
  )
  expect(byTitle("not_found").status).toBe("failed")
  expect(byTitle("every --account-id was judged").status).toBe("failed")
  expect(byTitle("every --account-id was judged").failureMessages.join("\n")).toMatch(
    /inconclusive: account "acc_1" never judged: \d+ answers? w(?:as|ere) 503 after retries/
  )
  const ola = byTitle("object_level_authorization")
  expect(ola).toMatchObject({
    status: "skipped",
    title: "object_level_authorization (not run: needs --foreign-account-id)"
  })
  expect(byTitle("response_time")).toMatchObject({
    status: "skipped",
    title: "response_time (not run: needs --max-response-time)"
  })
  expect(byTitle("near_miss_keys")).toMatchObject({
    status: "skipped",
    title: "near_miss_keys (not run: not selected)"
  })
  // Nothing that judged nothing passed.
  expect(tests.filter((t) => t.status === "passed").map((t) => t.title)).not.toContain("known_accounts")
}, 120_000)
