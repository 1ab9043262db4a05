/**
 * `postpress mock` as a process (the built program): one JSON line when
 * listening, serves its fixtures, stops on SIGTERM (exit 143), and usage
 * errors exit 2 with one line.
 */
import { AccountsApi } from "@postpress/schema"
import { describe, expect, it } from "vitest"
import { completion, firstLine, oneLine, start } from "./support/program.js"

describe.concurrent("postpress mock", () => {
  it("prints one JSON line, serves the fixtures, and exits 143 on SIGTERM", async () => {
    const child = start(["mock", "--seed", "9", "--retry-after", "1", "--faults", "503", "--latency", "5ms"])
    const done = completion(child)
    try {
      const info = JSON.parse(await firstLine(child)) as {
        url: string
        workspaces: Array<{ apiKey: string; accountIds: Array<string> }>
      }
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(info.workspaces.length).toBeGreaterThanOrEqual(2)
      const ws = info.workspaces[0]!
      const res = await fetch(`${info.url}/v1/accounts/${ws.accountIds[0]}`, {
        headers: { [AccountsApi.apiKeyHeader]: ws.apiKey }
      })
      expect(res.status).toBe(200)
    } finally {
      child.kill("SIGTERM")
    }
    const result = await done
    expect(result.code).toBe(143)
    expect(result.stdout.trim().split("\n")).toHaveLength(1)
    expect(result.stderr).toBe("")
  })

  it.each([
    [["--bogus"], /--bogus/],
    [["--fault-rate", "2"], /--fault-rate must be 0–1/],
    [["--faults", "503,418"], /documented error statuses/],
    [["--latency", "fast"], /--latency: expected a duration like 500ms/]
  ])("%j → exit 2 with one line", async (args, message) => {
    const result = await completion(start(["mock", ...args]))
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(oneLine(result.stderr)).toMatch(message)
  })
})
