/**
 * `pnpm mock` as a process: one JSON line when listening, serves its
 * fixtures, stops on SIGTERM/SIGINT, and usage errors exit 2 without a stack.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { AccountsApi } from "@postpress/schema"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..", "..", "..")
const bin = join(root, "packages", "contract-tests", "src", "bin", "mock.ts")

const start = (args: ReadonlyArray<string>) =>
  spawn(process.execPath, ["--import", "tsx", "--conditions=@postpress/source", bin, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"]
  })

const collect = (child: ChildProcess) => {
  const out = { stdout: "", stderr: "" }
  child.stdout!.on("data", (d) => {
    out.stdout += d
  })
  child.stderr!.on("data", (d) => {
    out.stderr += d
  })
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  return { out, exited }
}

const firstLine = (child: ChildProcess) =>
  new Promise<string>((resolve, reject) => {
    let buffer = ""
    child.stdout!.on("data", (d) => {
      buffer += d
      const nl = buffer.indexOf("\n")
      if (nl !== -1) resolve(buffer.slice(0, nl))
    })
    child.on("exit", (code) => reject(new Error(`exited ${code} before listening`)))
  })

// Each case pays tsx start-up (seconds on a busy machine), so they run side by side.
describe.concurrent("pnpm mock", () => {
  it("prints one JSON line, serves the fixtures, and exits 0 on SIGTERM", async () => {
    const child = start(["--seed", "9", "--retry-after", "1", "--faults", "503"])
    const { out, exited } = collect(child)
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
    expect(await exited).toBe(0)
    expect(out.stdout.trim().split("\n")).toHaveLength(1)
  }, 90_000)

  it.each([
    [["--bogus"], /unknown argument/i],
    [["--fault-rate", "2"], /--fault-rate must be 0–1/],
    [["--faults", "503,418"], /documented error statuses/]
  ])(
    "%j → exit 2 with a message and no stack",
    async (args, message) => {
      const child = start(args)
      const { out, exited } = collect(child)
      expect(await exited).toBe(2)
      expect(out.stderr + out.stdout).toMatch(message)
      expect(out.stderr).not.toMatch(/\n\s+at /)
    },
    90_000
  )
})
