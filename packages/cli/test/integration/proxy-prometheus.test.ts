/**
 * A REAL Prometheus (Debian's `prometheus`, which `.ci/run` installs)
 * scraping `postpress contract proxy --metrics-port` in front of the testkit
 * mock: a known mix of conformant, drifting, violating, throttled (429) and
 * gateway-page exchanges goes through the proxy, and every count read back
 * through Prometheus's HTTP query API equals what was sent. Skipped, saying
 * why, only where the binary is missing.
 */
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { expected, mixTotal, sendMix, useTarget } from "../support/metrics.js"
import { completion, start } from "../support/program.js"

const PROMETHEUS = "/usr/bin/prometheus"
const installed = existsSync(PROMETHEUS)
if (!installed) console.warn(`skipped: ${PROMETHEUS} is not installed (apt-get install prometheus; .ci/run does)`)

/** A port free at the time of asking (Prometheus takes a port, not 0). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/** `check` polled until it returns a value (or the deadline passes): an awaited signal, not a sleep. */
const until = async <A>(what: string, check: () => Promise<A | undefined>, ms = 60_000): Promise<A> => {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

interface Vector {
  readonly metric: Record<string, string>
  readonly value: readonly [number, string]
}

const fixture = useTarget("postpress-prometheus-")

describe.skipIf(!installed)("a real Prometheus scraping the proxy", () => {
  it("reads back, through its query API, every count that was sent", async () => {
    const child = start(["contract", "proxy", "--target", fixture.target.url, "--metrics-port", "0"], {
      POSTPRESS_API_KEY: fixture.target.apiKey
    })
    const done = completion(child)
    const stderrLine = new Promise<string>((resolve) => {
      let buffer = ""
      child.stderr.on("data", (chunk: Buffer) => {
        buffer += chunk.toString()
        const match = /metrics at (\S+)/.exec(buffer)
        if (match !== null) resolve(match[1]!)
      })
    })
    const proxyUrl = new Promise<string>((resolve) => {
      let buffer = ""
      child.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString()
        const match = /"url":"([^"]+)"/.exec(buffer)
        if (match !== null) resolve(match[1]!)
      })
    })
    const metrics = new URL(await stderrLine)
    const port = await freePort()
    const config = join(fixture.dir, "prometheus.yml")
    await writeFile(
      config,
      [
        "global:",
        "  scrape_interval: 1s",
        "scrape_configs:",
        "  - job_name: postpress-proxy",
        "    metrics_path: /metrics",
        "    static_configs:",
        `      - targets: ["${metrics.host}"]`,
        ""
      ].join("\n")
    )
    const prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(fixture.dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`
      ],
      { stdio: "ignore" }
    )
    const exited = new Promise((resolve) => prometheus.on("exit", resolve))
    const api = `http://127.0.0.1:${port}`
    try {
      await until("Prometheus to be ready", async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined))
      await sendMix(await proxyUrl, fixture.target)
      const query = async (promql: string): Promise<ReadonlyArray<Vector>> => {
        const answer = (await (await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as {
          data: { result: ReadonlyArray<Vector> }
        }
        return answer.data.result
      }
      // The scrape after the last exchange has landed once the total is the mix's.
      await until("the scrape to land", async () => {
        const [all] = await query("sum(postpress_exchanges_total)")
        return all !== undefined && Number(all.value[1]) === mixTotal ? true : undefined
      })
      const value = async (promql: string) => Number((await query(promql))[0]?.value[1] ?? Number.NaN)
      expect(await value(`sum(postpress_exchanges_total{outcome="pass"})`)).toBe(expected.pass)
      expect(await value(`sum(postpress_exchanges_total{outcome="violation"})`)).toBe(expected.violation)
      for (const [reason, count] of Object.entries(expected.notJudged)) {
        expect(await value(`sum(postpress_exchanges_total{outcome="not_judged",reason="${reason}"})`), reason).toBe(
          count
        )
      }
      expect(
        await value(`sum(postpress_violations_total{check="not_a_server_error",http_response_status_code="500"})`)
      ).toBe(expected.violation)
      expect(await value("sum(postpress_upstream_duration_seconds_count)")).toBe(mixTotal)
      expect(await value(`sum(postpress_proxy_errors_total)`)).toBe(0)
      expect(await value(`up{job="postpress-proxy"}`)).toBe(1)
    } finally {
      prometheus.kill("SIGTERM")
      await exited
      child.kill("SIGTERM")
      await done
    }
  })
})
