/**
 * What the metrics tests share: a target (the testkit mock behind a front
 * that answers gateway pages when asked), a known mix of traffic through a
 * proxy, a reader of the Prometheus text, and a loopback OTLP/HTTP receiver
 * that decodes the JSON the exporter sends.
 */
import { mkdtemp, rm } from "node:fs/promises"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { startMockServer } from "@postpress/testkit/MockServer"
import { afterAll, beforeAll } from "vitest"

export interface Target {
  readonly url: string
  readonly apiKey: string
  readonly accountIds: ReadonlyArray<string>
  readonly stop: () => Promise<void>
}

export const listenOn = async (handler: Http.RequestListener): Promise<{ url: string; server: Http.Server }> => {
  const server = Http.createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

export const close = (server: Http.Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })

/** The mock, behind a front that answers `x-test-gateway` requests with a load balancer's HTML 503. */
export const startTarget = async (): Promise<Target> => {
  const mock = await startMockServer({ seed: 11 })
  const mockUrl = new URL(mock.url)
  const front = await listenOn((req, res) => {
    if (req.headers["x-test-gateway"] !== undefined) {
      res.writeHead(503, { "content-type": "text/html" })
      return void res.end("<html><body>503 Service Temporarily Unavailable</body></html>")
    }
    const upstream = Http.request(
      { host: mockUrl.hostname, port: mockUrl.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on("error", () => res.destroy())
    req.pipe(upstream)
  })
  const workspace = mock.workspaces[0]!
  return {
    url: front.url,
    apiKey: workspace.apiKey,
    accountIds: workspace.accountIds,
    stop: async () => {
      await close(front.server)
      await mock.stop()
    }
  }
}

/** How many of each kind the mix sends, and what the report must say of them. */
export const mix = {
  conformant: 4,
  drifting: 2,
  violating: 2,
  throttled: 3,
  gateway: 2,
  notOperation: 1
} as const

/** Every exchange of one mix. */
export const mixTotal = Object.values(mix).reduce((sum: number, n) => sum + n, 0)

export const expected = {
  pass: mix.conformant + mix.drifting,
  violation: mix.violating,
  notJudged: { throttled: mix.throttled, gateway_page: mix.gateway, not_operation: mix.notOperation }
} as const

/** Sends the mix through the proxy, each answered before the next (so the counts are settled once it resolves). */
export const sendMix = async (proxy: string, target: Target): Promise<void> => {
  const key = { "x-api-key": target.apiKey }
  const get = async (path: string, headers: Record<string, string> = {}, method = "GET") => {
    const answer = await fetch(`${proxy}${path}`, { method, headers: { ...key, ...headers } })
    await answer.arrayBuffer()
  }
  const id = (n: number) => target.accountIds[n % target.accountIds.length]!
  for (let n = 0; n < mix.conformant; n++) await get(`/v1/accounts/${id(n)}`)
  for (let n = 0; n < mix.drifting; n++) await get(`/v1/accounts/${id(n)}`, { "x-mock-extra-fields": "1" })
  for (let n = 0; n < mix.violating; n++) await get(`/v1/accounts/${id(n)}`, { "x-mock-fault": "500" })
  for (let n = 0; n < mix.throttled; n++) await get(`/v1/accounts/${id(n)}`, { "x-mock-fault": "429" })
  for (let n = 0; n < mix.gateway; n++) await get(`/v1/accounts/${id(n)}`, { "x-test-gateway": "1" })
  for (let n = 0; n < mix.notOperation; n++) await get(`/v1/accounts/${id(n)}`, {}, "DELETE")
}

export interface Series {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/** The samples of a Prometheus text exposition (comments skipped). */
export const parsePrometheus = (text: string): ReadonlyArray<Series> =>
  text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
      if (match === null) throw new Error(`not a sample line: ${line}`)
      const labels: Record<string, string> = {}
      for (const [, key, value] of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[key!] = value!.replace(/\\(.)/g, "$1")
      }
      return { name: match[1]!, labels, value: Number(match[3]) }
    })

/** The sum of the series named `name` whose labels include `where`. */
export const total = (
  series: ReadonlyArray<Series>,
  name: string,
  where: Readonly<Record<string, string>> = {}
): number =>
  series
    .filter((s) => s.name === name && Object.entries(where).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0)

export const scrape = async (url: string): Promise<ReadonlyArray<Series>> =>
  parsePrometheus(await (await fetch(url)).text())

/** One OTLP/HTTP JSON export, as the receiver decoded it. */
export interface OtlpExport {
  readonly text: string
  readonly resource: Readonly<Record<string, string>>
  readonly series: ReadonlyArray<Series>
}

interface OtlpValue {
  readonly stringValue?: string
  readonly intValue?: number | string
}
interface OtlpAttribute {
  readonly key: string
  readonly value: OtlpValue
}
interface OtlpPoint {
  readonly attributes?: ReadonlyArray<OtlpAttribute>
  readonly asInt?: number | string
  readonly asDouble?: number
  readonly count?: number | string
}
interface OtlpMetric {
  readonly name: string
  readonly sum?: { readonly dataPoints: ReadonlyArray<OtlpPoint> }
  readonly gauge?: { readonly dataPoints: ReadonlyArray<OtlpPoint> }
  readonly histogram?: { readonly dataPoints: ReadonlyArray<OtlpPoint> }
}
interface OtlpBody {
  readonly resourceMetrics: ReadonlyArray<{
    readonly resource?: { readonly attributes?: ReadonlyArray<OtlpAttribute> }
    readonly scopeMetrics: ReadonlyArray<{ readonly metrics: ReadonlyArray<OtlpMetric> }>
  }>
}

const attributesOf = (attributes: ReadonlyArray<OtlpAttribute> | undefined): Record<string, string> =>
  Object.fromEntries((attributes ?? []).map((a) => [a.key, String(a.value.stringValue ?? a.value.intValue ?? "")]))

/**
 * Decodes an OTLP/HTTP JSON metrics request (the `exporter-metrics-otlp-http`
 * default): sums and gauges by their value, histograms by their count, each
 * named as OpenTelemetry names it (`postpress.exchanges`).
 */
export const decodeOtlp = (text: string): OtlpExport => {
  const body = JSON.parse(text) as OtlpBody
  const series: Array<Series> = []
  let resource: Record<string, string> = {}
  for (const rm of body.resourceMetrics) {
    resource = { ...resource, ...attributesOf(rm.resource?.attributes) }
    for (const sm of rm.scopeMetrics) {
      for (const metric of sm.metrics) {
        const points = metric.sum?.dataPoints ?? metric.gauge?.dataPoints ?? metric.histogram?.dataPoints ?? []
        for (const point of points) {
          const value =
            metric.histogram === undefined ? Number(point.asInt ?? point.asDouble ?? 0) : Number(point.count)
          series.push({ name: metric.name, labels: attributesOf(point.attributes), value })
        }
      }
    }
  }
  return { text, resource, series }
}

/** A loopback OTLP/HTTP receiver: every request to `/v1/metrics` decoded, in order; `next` awaits the next one. */
export const otlpReceiver = async () => {
  const received: Array<OtlpExport> = []
  const waiting: Array<(e: OtlpExport) => void> = []
  const { url, server } = await listenOn((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" }).end("{}")
      if (req.url !== "/v1/metrics") return
      const decoded = decodeOtlp(Buffer.concat(chunks).toString("utf8"))
      received.push(decoded)
      for (const resolve of waiting.splice(0)) resolve(decoded)
    })
  })
  return {
    url,
    received,
    next: () => new Promise<OtlpExport>((resolve) => waiting.push(resolve)),
    stop: () => close(server)
  }
}

/**
 * For a test file: the target and a temp directory, started before its tests
 * and removed after them. Read `fixture.target` / `fixture.dir` inside tests.
 */
export const useTarget = (prefix: string): { readonly target: Target; readonly dir: string } => {
  const fixture = {} as { target: Target; dir: string }
  beforeAll(async () => {
    fixture.target = await startTarget()
    fixture.dir = await mkdtemp(join(tmpdir(), prefix))
  })
  afterAll(async () => {
    await fixture.target.stop()
    await rm(fixture.dir, { recursive: true, force: true })
  })
  return fixture
}
