/**
 * `postpress contract proxy` and `contract har` as users run them (the built
 * program, spawned), on the cases that used to pass silently or hang: a dead
 * target (exit 4, reason named), `--max-requests` counting failures, a hung
 * upstream under SIGTERM (one signal, bounded by --drain, reports written,
 * the verdict's exit code), a key reflected by the target with no
 * POSTPRESS_API_KEY (masked in every output), 300 answers of 900 KB each with
 * a new field (peak RSS ≤ 300 MB), and an empty HAR (exit 4).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { account, envelope } from "../../../client/test/support/fixtures.js"
import { json, listen } from "../../../client/test/support/server.js"
import { completion, firstLine, run, start } from "../support/program.js"

const dir = mkdtempSync(join(tmpdir(), "postpress-proxy-life-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const get = (url: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { headers }).then(
    async (r) => ({ status: r.status, body: await r.text() }),
    (error: Error) => ({ status: -1, body: error.message })
  )

/** Peak resident set size of a process, in MiB (Linux). */
const peakRssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmHWM:"))
  return Number(line?.replace(/\D+/g, "") ?? Number.NaN) / 1024
}

describe("postpress contract proxy: verdicts and lifecycle", () => {
  it("a dead target: every request gets a 502, SIGTERM gives exit 4 and names the reason", async () => {
    const closed = await listen(() => {})
    await closed.close()
    const jsonFile = join(dir, "dead.json")
    const child = start(["contract", "proxy", "--target", `${closed.origin}/api`, "--json", jsonFile])
    const done = completion(child)
    const { url } = JSON.parse(await firstLine(child)) as { url: string }
    expect((await get(url, "/v1/accounts/acc_1")).status).toBe(502)
    expect((await get(url, "/v1/accounts/acc_2")).status).toBe(502)
    child.kill("SIGTERM")
    const result = await done
    expect(result.code).toBe(4)
    expect(result.stderr).toContain("INCONCLUSIVE: 2 exchanges, 0 judged")
    expect(result.stderr).toContain("2 target unreachable (502)")
    const report = JSON.parse(readFileSync(jsonFile, "utf8"))
    expect(report.verdict).toBe("inconclusive")
    expect(report.passed).toBe(false)
  })

  it("SIGINT too: the proxy exits with its verdict (4 here), not 130", async () => {
    const closed = await listen(() => {})
    await closed.close()
    const child = start(["contract", "proxy", "--target", `${closed.origin}/api`])
    const done = completion(child)
    const { url } = JSON.parse(await firstLine(child)) as { url: string }
    await get(url, "/v1/accounts/acc_1")
    child.kill("SIGINT")
    const result = await done
    expect(result.code).toBe(4)
    expect(result.stderr).toContain("1 target unreachable (502)")
  })

  it("--max-requests counts exchanges that failed to reach the target: it stops by itself, exit 4", async () => {
    const closed = await listen(() => {})
    await closed.close()
    const child = start(["contract", "proxy", "--target", `${closed.origin}/api`, "--max-requests", "2"])
    const done = completion(child)
    const { url } = JSON.parse(await firstLine(child)) as { url: string }
    await get(url, "/v1/accounts/acc_1")
    await get(url, "/v1/accounts/acc_2")
    const result = await done
    expect(result.code).toBe(4)
  })

  it("a hung upstream under ONE SIGTERM: drains at most --drain, cuts it, writes every report, exits with the verdict", async () => {
    let hungArrived: () => void = () => {}
    const atTarget = new Promise<void>((resolve) => {
      hungArrived = resolve
    })
    const target = await listen((req, res) => {
      // acc_ok answers; every other id hangs forever (and says it arrived: it is in flight at the proxy).
      if (req.url?.endsWith("/acc_ok")) json(res, 200, { ...account, id: "acc_ok" })
      else hungArrived()
    })
    const files = { json: join(dir, "hung.json"), har: join(dir, "hung.har"), junit: join(dir, "hung.xml") }
    try {
      const child = start(
        [
          "contract",
          "proxy",
          "--target",
          `${target.origin}/api`,
          "--drain",
          "500ms",
          "--json",
          files.json,
          "--har",
          files.har,
          "--junit",
          files.junit
        ],
        { POSTPRESS_API_KEY: "pp_live_HUNGTEST_0123456789" }
      )
      const done = completion(child)
      const { url } = JSON.parse(await firstLine(child)) as { url: string }
      const key = { "X-API-KEY": "pp_live_HUNGTEST_0123456789" }
      expect((await get(url, "/v1/accounts/acc_ok", key)).status).toBe(200)
      const hung = get(url, "/v1/accounts/acc_hung", key)
      await atTarget
      const signalled = Date.now()
      child.kill("SIGTERM")
      const result = await done
      // The drain bound, not the 30 s upstream timeout, ended it (generous margin for a loaded machine).
      expect(Date.now() - signalled).toBeLessThan(15_000)
      expect(result.code).toBe(0)
      expect((await hung).status).toBe(-1)
      expect(JSON.parse(readFileSync(files.json, "utf8")).traffic).toMatchObject({ exchanges: 2, judged: 1 })
      expect(JSON.parse(readFileSync(files.har, "utf8")).log.entries).toHaveLength(1)
      expect(readFileSync(files.junit, "utf8")).toContain("<testsuite")
    } finally {
      await target.close()
    }
  })

  it("a key reflected by the target, no POSTPRESS_API_KEY: masked on stderr and in --json, --junit, --html, --har", async () => {
    const KEY = "pp_live_REFLECTED_0123456789abcdef"
    const target = await listen((req, res) =>
      json(res, 401, { ...envelope("errors/invalid_credentials"), title: `unknown key ${req.headers["x-api-key"]}` })
    )
    const files = {
      json: join(dir, "r.json"),
      junit: join(dir, "r.xml"),
      html: join(dir, "r.html"),
      har: join(dir, "r.har")
    }
    try {
      const child = start([
        "contract",
        "proxy",
        "--target",
        `${target.origin}/api`,
        ...Object.entries(files).flatMap(([flag, path]) => [`--${flag}`, path])
      ])
      const done = completion(child)
      const { url } = JSON.parse(await firstLine(child)) as { url: string }
      expect((await get(url, "/v1/accounts/acc_1", { "X-API-KEY": KEY })).body).toContain(KEY)
      child.kill("SIGTERM")
      const result = await done
      expect(result.code).toBe(1)
      expect(result.stderr).toContain("key_not_reflected")
      for (const text of [result.stdout, result.stderr, ...Object.values(files).map((f) => readFileSync(f, "utf8"))]) {
        expect(text).not.toContain(KEY)
        expect(text).not.toContain(KEY.slice(8, 20))
      }
    } finally {
      await target.close()
    }
  })

  it("300 answers of 900 KB, each with a new field: every one judged, peak RSS stays under 300 MB", async () => {
    const pad = "x".repeat(900 * 1024)
    const target = await listen((_req, res, index) => json(res, 200, { ...account, [`new_field_${index}`]: pad }))
    try {
      const child = start(["contract", "proxy", "--target", `${target.origin}/api`], {
        POSTPRESS_API_KEY: "pp_live_MEMORYTEST_0123456789"
      })
      const done = completion(child)
      const { url } = JSON.parse(await firstLine(child)) as { url: string }
      const key = { "X-API-KEY": "pp_live_MEMORYTEST_0123456789" }
      for (let batch = 0; batch < 30; batch++) {
        await Promise.all(Array.from({ length: 10 }, () => get(url, `/v1/accounts/${account.id}`, key)))
      }
      const peak = peakRssMb(child.pid!)
      child.kill("SIGTERM")
      const result = await done
      expect(result.code).toBe(0)
      expect(result.stderr).toContain("300 exchanges, 300 judged")
      expect(result.stderr).toContain("Drift: 300 unknown fields")
      expect(peak, `peak RSS ${peak.toFixed(0)} MB`).toBeLessThan(300)
    } finally {
      await target.close()
    }
  }, 120_000)
})

describe("postpress contract har: verdicts", () => {
  it("an empty HAR is inconclusive: exit 4 and the reason", async () => {
    const file = join(dir, "empty.har")
    writeFileSync(file, JSON.stringify({ log: { version: "1.2", entries: [] } }))
    const result = await run(["contract", "har", file])
    expect(result.code).toBe(4)
    expect(result.stdout).toContain("0 exchanges judged: no traffic was recorded")
  })
})
