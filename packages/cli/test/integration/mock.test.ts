/**
 * `postpress mock` as a process (the built program): one short JSON line on
 * stdout when listening (url, key, ids; `--print key|ids` just those;
 * `--print-fixtures` every workspace), one line for people on stderr, serves
 * its fixtures, stops on SIGTERM (exit 0), and usage errors exit 2 with one
 * line. With coverage flags it writes the coverage
 * report on SIGINT/SIGTERM, names each gap on stderr, and exits 0 or 1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Account, ErrorCatalogue } from "@postpress/schema"
import { afterAll, describe, expect, it } from "vitest"
import { accountStatus, completion, firstLine, oneLine, start } from "../support/program.js"

interface Info {
  url: string
  workspaces: Array<{ apiKey: string; accountIds: Array<string>; accounts: Array<{ id: string; type: string }> }>
}

const dir = mkdtempSync(join(tmpdir(), "postpress-mock-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const get = (info: Info, id: string, headers: Record<string, string> = {}) =>
  accountStatus(info.url, id, info.workspaces[0]!.apiKey, headers)

/** Asks the mock for every behaviour it counts: a 429 with Retry-After, a retry after 503/504/429, unknown fields, an unknown type. */
const serveEveryBehaviour = async (info: Info, id: string) => {
  expect(await get(info, id, { "x-mock-fault": "429" })).toBe(429)
  for (const status of [503, 504, 429]) {
    const script = { "x-mock-fault": `${status},200`, "x-mock-sequence": `r${status}` }
    expect(await get(info, id, script)).toBe(status)
    expect(await get(info, id, script)).toBe(200)
  }
  expect(await get(info, id, { "x-mock-extra-fields": "1" })).toBe(200)
  expect(await get(info, id, { "x-mock-unknown-type": "1" })).toBe(200)
}

/** Runs a mock with `args`, lets `session` talk to it, stops it with `signal`, and returns the outcome. */
const session = async (
  args: ReadonlyArray<string>,
  requests: (info: Info) => Promise<void>,
  signal: NodeJS.Signals = "SIGTERM"
) => {
  const child = start(["mock", "--print-fixtures", ...args])
  const done = completion(child)
  try {
    await requests(JSON.parse(await firstLine(child)) as Info)
  } finally {
    child.kill(signal)
  }
  return done
}

describe.concurrent("postpress mock", () => {
  it("prints one short JSON line (url, key, ids) and one human line, serves the fixtures, exits 0 on SIGTERM", async () => {
    const child = start(["mock", "--seed", "9", "--retry-after", "1", "--faults", "503", "--latency", "5ms"])
    const done = completion(child)
    let info: { url: string; apiKey: string; accountIds: Array<string>; foreignAccountIds: Array<string> }
    try {
      info = JSON.parse(await firstLine(child)) as typeof info
      expect(Object.keys(info)).toEqual(["url", "apiKey", "accountIds", "foreignAccountIds"])
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(info.accountIds).toHaveLength(15)
      expect(info.foreignAccountIds.length).toBeGreaterThan(0)
      const status = (id: string) => accountStatus(info.url, id, info.apiKey)
      expect(await status(info.accountIds[0]!)).toBe(200)
      // A foreign id is another workspace's: this key must not read it.
      expect(await status(info.foreignAccountIds[0]!)).toBe(404)
    } finally {
      child.kill("SIGTERM")
    }
    const result = await done
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split("\n")).toHaveLength(1)
    expect(result.stdout.length).toBeLessThan(1000)
    expect(result.stderr).toBe(
      `mock on ${info.url} — test key ${info.apiKey.slice(0, 10)}… (--print key) — 15 accounts (14 types), 5 foreign; all fixtures: --print-fixtures\n`
    )
  })

  it("--print key prints the key alone, --print ids one id a line; both keep serving", async () => {
    const runPrint = async (what: string, lines: number) => {
      const child = start(["mock", "--print", what])
      const done = completion(child)
      // Every line the choice prints and the human line, then the mock is still serving: ask it.
      let stdout = ""
      let stderr = ""
      await new Promise<void>((resolve) => {
        const check = () => {
          if (stdout.split("\n").length > lines && stderr.includes("\n")) resolve()
        }
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString()
          check()
        })
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString()
          check()
        })
      })
      return { child, done, stdout: stdout.split("\n").slice(0, -1), url: /^mock on (\S+) /.exec(stderr)?.[1] }
    }
    const ids = await runPrint("ids", 15)
    const key = await runPrint("key", 1)
    try {
      expect(key.stdout).toEqual([expect.stringMatching(/^pp_mock_0_[0-9a-f]+$/)])
      expect(ids.stdout.every((id) => /^acc_\w+$/.test(id))).toBe(true)
      expect(ids.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(await accountStatus(ids.url!, ids.stdout[0]!, key.stdout[0]!)).toBe(200)
    } finally {
      key.child.kill("SIGTERM")
      ids.child.kill("SIGTERM")
    }
    const [keyRun, idsRun] = await Promise.all([key.done, ids.done])
    expect(keyRun).toMatchObject({ code: 0, stdout: `${key.stdout[0]}\n` })
    expect(idsRun.code).toBe(0)
    expect(idsRun.stdout.trim().split("\n")).toHaveLength(15)
  })

  it.each([
    [["--bogus"], /--bogus/],
    [["--fault-rate", "2"], /--fault-rate: expected a probability from 0 to 1, got 2/],
    [["--faults", "503,418"], /documented error statuses/],
    [["--latency", "fast"], /--latency: expected a duration like 500ms/]
  ])("%j → exit 2 with one line", async (args, message) => {
    const result = await completion(start(["mock", ...args]))
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(oneLine(result.stderr)).toMatch(message)
  })
})

describe.concurrent("postpress mock coverage", () => {
  it("two accounts and one 503:errors/no_handler: the gaps on stderr and in the file, exit 1 with --require-coverage types,errors", async () => {
    const file = join(dir, "gaps.json")
    const html = join(dir, "gaps.html")
    let served: Array<string> = []
    let keys: Array<string> = []
    const result = await session(
      ["--coverage", file, "--coverage-html", html, "--require-coverage", "types,errors"],
      async (info) => {
        const ws = info.workspaces[0]!
        expect(ws.accounts.map((a) => a.id)).toEqual(ws.accountIds)
        expect(new Set(ws.accounts.map((a) => a.type))).toEqual(new Set(Account.accountTypes))
        served = [ws.accounts[1]!.type, ws.accounts[2]!.type]
        keys = info.workspaces.map((w) => w.apiKey)
        expect(await get(info, ws.accountIds[1]!)).toBe(200)
        expect(await get(info, ws.accountIds[2]!)).toBe(200)
        expect(await get(info, ws.accountIds[1]!, { "x-mock-fault": "503:errors/no_handler" })).toBe(503)
      }
    )
    expect(result.code).toBe(1)
    // The run ends by saying where its reports went.
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(`reports: ${file}, ${html}`)
    const report = JSON.parse(readFileSync(file, "utf8")) as {
      seen: { requests: number; errors: Record<string, Record<string, number>> }
      missing: { types: Array<string>; errors: Array<string>; behaviours: Array<string> }
    }
    expect(report.missing.types).toEqual(Account.accountTypes.filter((t) => !served.includes(t)))
    expect([12, 13]).toContain(report.missing.types.length)
    expect(report.missing.errors).toHaveLength(31)
    expect(report.missing.errors).not.toContain("errors/no_handler")
    expect(report.missing.behaviours).toHaveLength(6)
    expect(report.seen).toMatchObject({ requests: 3, errors: { "503": { "errors/no_handler": 1 } } })
    expect(result.stderr).toContain(
      "never served errors/disconnected_account (401): send x-mock-fault: 401:errors/disconnected_account"
    )
    expect(result.stderr).not.toContain("never served errors/no_handler")
    expect(result.stderr).toMatch(
      /^coverage: [12]\/14 account types, 1\/32 error types, 0\/6 behaviours \(3 requests\)$/m
    )
    expect(result.stderr).toMatch(
      new RegExp(
        `^postpress mock: ${report.missing.types.length + 31} coverage gaps remain \\(--require-coverage types,errors\\)$`,
        "m"
      )
    )
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>[\s\S]*id="errors"/)
    // The mock's keys are handed out once, on the startup line: no report repeats them.
    for (const key of keys) {
      expect(readFileSync(file, "utf8")).not.toContain(key)
      expect(readFileSync(html, "utf8")).not.toContain(key)
      expect(result.stderr).not.toContain(key)
    }
    expect(keys.length).toBeGreaterThanOrEqual(2)
  })

  it("every fixture id and all 32 error types: nothing missing of the kinds required, exit 0 on SIGINT", async () => {
    const file = join(dir, "full.json")
    const result = await session(
      ["--coverage", file, "--require-coverage", "types,errors"],
      async (info) => {
        for (const id of info.workspaces[0]!.accountIds) expect(await get(info, id)).toBe(200)
        const id = info.workspaces[0]!.accountIds[0]!
        for (const entry of ErrorCatalogue.catalogue) {
          expect(await get(info, id, { "x-mock-fault": `${entry.status}:${entry.type}` })).toBe(entry.status)
        }
      },
      "SIGINT"
    )
    expect(result.code).toBe(0)
    const report = JSON.parse(readFileSync(file, "utf8")) as { missing: Record<string, Array<string>> }
    expect(report.missing.types).toEqual([])
    expect(report.missing.errors).toEqual([])
    expect(result.stderr).not.toMatch(/coverage gap/)
  })

  it("behaviours too: 429 with Retry-After, retries after 503/504/429, unknown fields, an unknown type → exit 0 with all three kinds", async () => {
    const result = await session(["--require-coverage", "types,errors,behaviours"], async (info) => {
      const id = info.workspaces[0]!.accountIds[0]!
      for (const accountId of info.workspaces[0]!.accountIds) await get(info, accountId)
      for (const entry of ErrorCatalogue.catalogue)
        await get(info, id, { "x-mock-fault": `${entry.status}:${entry.type}` })
      await serveEveryBehaviour(info, id)
    })
    expect(result.code).toBe(0)
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(
      /^coverage: 14\/14 account types, 32\/32 error types, 6\/6 behaviours \(\d+ requests\)$/
    )
  })

  it("gaps of kinds not required are listed but do not fail: exit 0 with --require-coverage behaviours", async () => {
    const result = await session(["--require-coverage", "behaviours"], async (info) => {
      const id = info.workspaces[0]!.accountIds[0]!
      await serveEveryBehaviour(info, id)
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain("never served errors/no_handler (503): send x-mock-fault: 503:errors/no_handler")
    expect(result.stderr).not.toMatch(/never served (a retry|429|an account with unknown|an account of an unknown)/)
    expect(result.stderr).not.toMatch(/coverage gap/)
  })

  it("a missing behaviour names the steps that produce it; exit 1 when behaviours are required", async () => {
    const result = await session(["--require-coverage", "behaviours"], async (info) => {
      const id = info.workspaces[0]!.accountIds[0]!
      expect(await get(info, id, { "x-mock-fault": "429" })).toBe(429)
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      "never served a retry after 503: send x-mock-fault: 503,200 with x-mock-sequence: ID, then repeat the request"
    )
    expect(result.stderr).toContain("never served an account with unknown fields: send x-mock-extra-fields: 1")
    expect(result.stderr).toContain("never served an account of an unknown type: send x-mock-unknown-type: 1")
    expect(result.stderr).not.toContain("never served 429 with Retry-After")
    expect(result.stderr).toMatch(/^postpress mock: 5 coverage gaps remain \(--require-coverage behaviours\)$/m)
  })

  it("a bad --require-coverage list or an unwritable report path → exit 2 with one line, before listening", async () => {
    const notAFolder = join(dir, "a-file")
    writeFileSync(notAFolder, "")
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
      [["--require-coverage", "types,bogus"], /^postpress mock: --require-coverage: expected a comma-separated subset/],
      [
        ["--coverage", join(notAFolder, "coverage.json")],
        /^postpress mock: cannot write --coverage .*coverage\.json: /
      ],
      [["--coverage-html", dir], /^postpress mock: cannot write --coverage-html .*: it is a folder$/]
    ]
    for (const [args, message] of cases) {
      const result = await completion(start(["mock", ...args]))
      expect(result.code).toBe(2)
      expect(result.stdout).toBe("")
      expect(oneLine(result.stderr)).toMatch(message)
    }
  })

  it("a port in use → exit 2 with one line", async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const result = await completion(start(["mock", "--port", String(port)]))
      expect(result.code).toBe(2)
      expect(result.stdout).toBe("")
      expect(oneLine(result.stderr)).toMatch(new RegExp(`^postpress mock: cannot listen on 127\\.0\\.0\\.1:${port}`))
    } finally {
      blocker.close()
    }
  })
})
