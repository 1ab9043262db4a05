/**
 * Every HTML report fits a 1280-px-wide page, measured by a real browser
 * (Debian's Chromium through playwright-core): the suite's, a proxy
 * session's, a HAR file's and the mock's coverage page, each filled with
 * the long content real runs produce (long notes and messages, JSON paths
 * without a space, a 2 kB header in a `curl` line, long bodies, long URLs).
 * The page must not scroll sideways and no table may be wider than the box
 * it sits in. On failure a screenshot is saved to a temp directory (named in
 * the assertion message). Skipped, with the reason printed, only where
 * `/usr/bin/chromium` is missing (`.ci/run` installs it).
 */
import * as Fs from "node:fs"
import type * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import { AccountsApi, SpecExample } from "@postpress/schema"
import * as MockServer from "@postpress/testkit/MockServer"
import * as Effect from "effect/Effect"
import { type Browser, chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ContractHar from "../../src/ContractHar.js"
import * as ContractHtml from "../../src/ContractHtml.js"
import type { ContractReport } from "../../src/ContractReport.js"
import * as Builder from "../../src/internal/report/builder.js"
import { send, startOrigin, withProxy } from "../proxy-support.js"

const chromiumPath = "/usr/bin/chromium"
const hasChromium = Fs.existsSync(chromiumPath)
if (!hasChromium) console.warn(`html-layout: skipped, ${chromiumPath} is missing (.ci/run installs Debian's chromium)`)

const viewport = { width: 1280, height: 800 }
const KEY = "pp_live_LAYOUT_0123456789abcdef"

/** Long content as real runs produce it: no spaces for the browser to break at. */
const longPath = Array.from({ length: 24 }, (_, i) => `nested_field_number_${i}`).join(".")
const twoKilobytes = "x".repeat(2048)
const longWord = `acc_${"0123456789ABCDEFGHJKMNPQRSTVWXYZ".repeat(12)}`
const longBody = JSON.stringify({ ...SpecExample.retrieveAccountResponse, id: longWord, [longPath]: twoKilobytes })

/** A failing suite run with every kind of long text the page shows. */
const suiteReport = (): ContractReport => {
  const baseUrl = `http://127.0.0.1:9/${"very-long-base-path-segment-".repeat(8)}api`
  const b = Builder.make({
    baseUrl,
    seed: 4242,
    runs: 5,
    strict: false,
    startedAt: "2026-12-06T07:41:12.345Z",
    settings: { rateLimit: 10, concurrency: 4, maxResponseTimeMs: 250, failOnDrift: false },
    source: "suite",
    invocation: {
      tool: "postpress",
      version: "0.1.0",
      argv: [
        "contract",
        "--base-url",
        baseUrl,
        "--account-id",
        longWord,
        "--html",
        `/tmp/${"reports/".repeat(20)}r.html`
      ],
      accountIds: [longWord]
    },
    accountIds: [longWord]
  })
  const request = {
    method: "GET" as const,
    url: `${baseUrl}/v1/accounts/${longWord}`,
    accountId: longWord,
    credentials: "valid" as const
  }
  for (const [status, ms] of [
    [200, 3],
    [404, 1.5],
    [503, 800]
  ] as const) {
    b.exchange({ status, latencyMs: ms, checks: ["status_code", "response_schema"] })
  }
  b.evaluated("status_code", 3)
  b.evaluated("response_schema", 1)
  b.variantSeen("LINKEDIN")
  b.failure({
    check: "response_schema",
    message: `the 200 body does not decode as Account at ${longPath}: expected string, got ${twoKilobytes.slice(0, 300)}`,
    request,
    status: 200,
    body: longBody,
    issues: [`${longPath}: expected string, got "${twoKilobytes}"`],
    curl: `curl --path-as-is --request GET --url '${request.url}' --header 'X-API-KEY: ***' --header 'X-Trace: ${twoKilobytes}'`
  })
  b.failure({
    check: "status_code",
    message: "a malformed id got 404, expected 400",
    request,
    status: 404,
    body: `${twoKilobytes}${twoKilobytes}`
  })
  b.drift([longPath, `connection_params.${longWord}`], { check: "response_schema", request, status: 200, curl: null })
  return b.finish({
    durationMs: 1500,
    notes: { status_code: `judged with a note that names a path: ${longPath}` },
    notRun: { object_level_authorization: `needs --foreign-account-id ${longWord}` }
  })
}

const write = (res: Http.ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) => {
  res.sendDate = false
  res.writeHead(status, { "content-length": String(Buffer.byteLength(body)), ...headers })
  res.end(body)
}

/** Answers a proxy or a HAR carries: a drifting, wrong account, a gateway page, a 304, an undecodable body. */
const routes: Record<string, (req: Http.IncomingMessage, res: Http.ServerResponse) => void> = {
  "/api/v1/accounts/acc_long": (_req, res) =>
    write(res, 200, { "content-type": "application/json", "x-trace": twoKilobytes }, longBody),
  "/api/v1/accounts/acc_down": (_req, res) =>
    write(res, 503, { "content-type": `text/html; profile=${longWord}` }, `<html>${twoKilobytes}</html>`),
  "/api/v1/accounts/acc_etag": (_req, res) => write(res, 304, { etag: `"${longWord}"` }, ""),
  "/api/v1/accounts/acc_gzip": (_req, res) =>
    write(res, 200, { "content-type": "application/json", "content-encoding": "gzip" }, `not gzip ${twoKilobytes}`)
}

const proxyReport = async (): Promise<ContractReport> => {
  const origin = await startOrigin(routes)
  try {
    const session = await withProxy({ target: `${origin.url}/api` }, async (url) => {
      const headers = { [AccountsApi.apiKeyHeader]: KEY, "x-trace": twoKilobytes }
      for (const id of ["acc_long", "acc_down", "acc_etag", "acc_gzip"]) {
        await send(url, `/v1/accounts/${id}?trace=${twoKilobytes}`, { headers })
      }
      await send(url, `/v1/accounts/${longWord}`, { method: "POST", headers, body: "{}" })
    })
    return session.report
  } finally {
    await origin.stop()
  }
}

const harReport = (): Promise<ContractReport> => {
  const entry = (url: string, status: number, headers: Record<string, string>, text: string, method = "GET") => ({
    request: { method, url, headers: [{ name: "x-trace", value: twoKilobytes }] },
    response: {
      status,
      headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
      content: { text }
    }
  })
  const base = `http://127.0.0.1:9/api/v1/accounts`
  const entries = [
    entry(`${base}/acc_long?trace=${twoKilobytes}`, 200, { "content-type": "application/json" }, longBody),
    entry(
      `${base}/acc_down`,
      503,
      { "content-type": `text/html; profile=${longWord}` },
      `<html>${twoKilobytes}</html>`
    ),
    entry(`${base}/acc_etag`, 304, { etag: `"${longWord}"` }, ""),
    entry(
      `${base}/acc_gzip`,
      200,
      { "content-type": "application/json", "content-encoding": "gzip" },
      `not gzip ${twoKilobytes}`
    ),
    entry(`${base}/${longWord}`, 405, { "content-type": "application/json" }, "{}", "POST")
  ]
  const text = JSON.stringify({ log: { version: "1.2", entries } })
  return Effect.runPromise(
    ContractHar.judgeDocuments([{ file: "long.har", text }], { baseUrl: "http://127.0.0.1:9/api" })
  )
}

const coveragePage = async (): Promise<string> => {
  const mock = await MockServer.startMockServer({ coverage: true })
  try {
    const ws = mock.workspaces[0]!
    const res = await fetch(`${mock.url}/v1/accounts/${encodeURIComponent(ws.accountIds[0]!)}`, {
      headers: { [AccountsApi.apiKeyHeader]: ws.apiKey }
    })
    await res.arrayBuffer()
    return ContractHtml.coverage(await mock.coverage(), mock.workspaces)
  } finally {
    await mock.stop()
  }
}

interface Layout {
  readonly pageWidth: number
  /** Tables (and coverage grids) wider than the box they sit in: `selector: width > box`. */
  readonly overflowing: ReadonlyArray<string>
}

/** The few DOM members the measurement reads. */
interface PageElement {
  readonly tagName: string
  readonly id: string
  readonly scrollWidth: number
  readonly clientWidth: number
  readonly parentElement: PageElement | null
  readonly closest: (selector: string) => PageElement | null
}
interface PageDocument {
  readonly documentElement: PageElement
  readonly querySelectorAll: (selector: string) => Iterable<PageElement>
}

let browser: Browser | undefined
const shots = Fs.mkdtempSync(Path.join(Os.tmpdir(), "html-layout-"))

beforeAll(async () => {
  if (!hasChromium) return
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  })
}, 60_000)
afterAll(async () => {
  await browser?.close()
  // Screenshots of failures stay for a person to look at; an empty directory goes.
  if (Fs.readdirSync(shots).length === 0) Fs.rmSync(shots, { recursive: true, force: true })
})

/** Opens the page at 1280×800 (nothing loads from the network: the page is set as content) and measures it. */
const measure = async (name: string, html: string): Promise<Layout & { readonly shot: string }> => {
  const page = await browser!.newPage({ viewport })
  try {
    await page.setContent(html, { waitUntil: "load" })
    const layout = await page.evaluate((): Layout => {
      // Runs in the page: the DOM's own objects (this package is compiled without the DOM library).
      const document = (globalThis as unknown as { readonly document: PageDocument }).document
      const describe = (element: PageElement, index: number): string =>
        `${element.tagName.toLowerCase()}#${element.closest("[id]")?.id ?? "?"}[${index}]`
      const boxes = [...document.querySelectorAll("table, ul.cells")]
      const overflowing = boxes.flatMap((element, index) => {
        const container = element.parentElement!
        return element.scrollWidth > container.clientWidth
          ? [`${describe(element, index)}: ${element.scrollWidth} > ${container.clientWidth}`]
          : []
      })
      return { pageWidth: document.documentElement.scrollWidth, overflowing }
    })
    const shot = Path.join(shots, `${name}.png`)
    if (layout.pageWidth > viewport.width || layout.overflowing.length > 0) {
      await page.screenshot({ path: shot, fullPage: true })
    }
    console.info(`html-layout: ${name} page width ${layout.pageWidth} px`)
    return { ...layout, shot }
  } finally {
    await page.close()
  }
}

const expectFits = async (name: string, html: string) => {
  const layout = await measure(name, html)
  const where = `${name}: ${JSON.stringify(layout.overflowing)}; page ${layout.pageWidth} px; see ${layout.shot}`
  expect(layout.overflowing, where).toEqual([])
  expect(layout.pageWidth, where).toBeLessThanOrEqual(viewport.width)
}

describe.skipIf(!hasChromium)("every HTML report fits a 1280-px page (Chromium)", () => {
  it("the suite's report", async () => {
    await expectFits("suite", ContractHtml.render(suiteReport()))
  })

  it("a proxy session's report", async () => {
    const report = await proxyReport()
    expect(report.traffic?.notJudged).toBeGreaterThan(0)
    await expectFits("proxy", ContractHtml.render(report))
  })

  it("a HAR file's report", async () => {
    const report = await harReport()
    expect(report.traffic?.notJudged).toBeGreaterThan(0)
    await expectFits("har", ContractHtml.render(report))
  })

  it("the mock's coverage page", async () => {
    await expectFits("coverage", await coveragePage())
  })
})
