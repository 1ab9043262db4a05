/**
 * The HTML report, read the way a browser would: parsed with a DOM library.
 * Hostile text from a server (`<script>`, `<img onerror>`, attribute
 * break-outs, bidi overrides) must come out as text, never as elements or
 * attributes; the page loads nothing from outside; the charts and tables
 * carry the report's numbers. A person must not have to guess: the tool and
 * version, the command line that reruns the run, times with units, a
 * readable start time, indented JSON bodies; an inconclusive run is never
 * green; a check that did not run names the flag it needs; proxy and HAR
 * reports show no seed.
 */
import { parseHTML } from "linkedom"
import { describe, expect, it } from "vitest"
import { checkNames } from "../src/ContractCheck.js"
import { render } from "../src/ContractHtml.js"
import type { ContractReport, Invocation, ReportSource } from "../src/ContractReport.js"
import { verdictStyles } from "../src/internal/render/html/palette.js"
import * as Builder from "../src/internal/report/builder.js"

const hostileId = `acc_<script>alert("id")</script>"'><img src=x onerror=alert(1)>`
const hostileBody = `{"id":"<img src=x onerror=alert(2)>","name":"</pre><script>alert(3)</script>","x":"\u202Egnp.exe"}`
const apiKey = "pp_live_9f8e7d6c5b4a"

const invocation = (source: ReportSource): Invocation => ({
  tool: "postpress",
  version: "0.1.0",
  argv:
    source === "suite"
      ? ["contract", "--base-url", "http://127.0.0.1:9/api", "--account-id", "acc 1", "--runs", "5", "--html", "r.html"]
      : source === "proxy"
        ? ["contract", "proxy", "--target", "http://127.0.0.1:9/api", "--port", "8080", "--html", "r.html"]
        : ["contract", "har", "traffic.har", "--base-url", "http://127.0.0.1:9/api", "--html", "r.html"],
  accountIds: source === "suite" ? ["acc 1"] : []
})

/** A failing run: a hostile id and body, drift, latency of every status family. */
const failingReport = (options: { readonly failOnDrift?: boolean; readonly source?: ReportSource } = {}) => {
  const source = options.source ?? "suite"
  const b = Builder.make({
    baseUrl: "http://127.0.0.1:9/api",
    seed: 4242,
    runs: 5,
    strict: false,
    startedAt: "2026-12-06T07:41:12.345Z",
    settings: { rateLimit: 10, concurrency: 4, maxResponseTimeMs: 250, failOnDrift: options.failOnDrift ?? false },
    source,
    invocation: invocation(source)
  })
  const request = {
    method: "GET" as const,
    url: `http://127.0.0.1:9/api/v1/accounts/${encodeURIComponent(hostileId)}`,
    accountId: hostileId,
    credentials: "valid" as const
  }
  for (const [status, ms] of [
    [200, 3],
    [200, 7],
    [400, 2],
    [404, 1.5],
    [429, 0.4],
    [503, 800],
    [null, 12_000]
  ] as const) {
    b.exchange({ status, latencyMs: ms, checks: ["status_code"] })
  }
  b.evaluated("status_code", 7)
  b.evaluated("response_schema", 2)
  b.evaluated("object_level_authorization", 3)
  b.checkDuration("object_level_authorization", 42)
  b.variantSeen("LINKEDIN")
  b.variantSeen("WHATSAPP")
  b.failure({
    check: "response_schema",
    message: `the 200 body does not decode as Account <script>alert(4)</script>`,
    request,
    status: 200,
    body: hostileBody,
    issues: [`name: expected string, got "<img src=x onerror=alert(5)>"`],
    curl: `curl --path-as-is --request GET --url '${request.url}' --header 'X-API-KEY: ***'`
  })
  b.failure({
    check: "status_code",
    message: "a malformed id got 404, expected 400",
    request: { ...request, accountId: "x".repeat(3) },
    status: 404,
    body: `{"status":404,"type":"errors/resource_not_found","title":"Not found","detail":"echo ${apiKey}"}`
  })
  b.drift([`connection_params.im.<script>alert(6)</script>`, "connection_params.im.new_flag"], {
    check: "response_schema",
    request,
    status: 200,
    curl: null
  })
  return b.finish({ durationMs: 1500 })
}

/** A suite run where every answer was 503 after retries: nothing could be judged. */
const inconclusiveReport = (): ContractReport => {
  const b = Builder.make({
    baseUrl: "http://127.0.0.1:9/api",
    seed: 7,
    runs: 5,
    strict: false,
    startedAt: "2026-12-06T07:41:12.000Z",
    source: "suite",
    invocation: invocation("suite"),
    accountIds: ["acc 1"]
  })
  for (const check of checkNames) b.inconclusive(check, 48, "503 after retries")
  for (let i = 0; i < 48; i++) b.exchange({ status: 503, latencyMs: 5, retry: i % 2 === 1 })
  b.accountNotJudged("acc 1", "503 after retries")
  return b.finish({ durationMs: 900, notRun: { object_level_authorization: "needs --foreign-account-id" } })
}

const parse = (page: string) => parseHTML(page).document
interface Queryable {
  readonly querySelector: (selector: string) => { readonly textContent: string | null } | null
}
const textOf = (root: Queryable, selector: string) => root.querySelector(selector)?.textContent ?? ""

describe("ContractHtml.render: server text stays text", () => {
  const page = render(failingReport())
  const document = parse(page)

  it("no script, no img, no event-handler attribute; each hostile string shown literally", () => {
    expect(document.querySelectorAll("script")).toHaveLength(0)
    expect(document.querySelectorAll("img")).toHaveLength(0)
    for (const element of document.querySelectorAll("*")) {
      for (const name of element.getAttributeNames()) expect(name.startsWith("on"), name).toBe(false)
    }
    const text = document.body.textContent ?? ""
    expect(text).toContain(JSON.stringify(hostileId))
    expect(text).toContain(`"<img src=x onerror=alert(2)>"`)
    expect(text).toContain(`</pre><script>alert(3)</script>`)
    expect(text).toContain(`got "<img src=x onerror=alert(5)>"`)
    expect(text).toContain(`connection_params.im.<script>alert(6)</script>`)
    // a bidi override is shown as a code, not applied
    expect(text).toContain("\\u{202e}gnp.exe")
    expect(page).not.toContain("\u202E")
  })

  it("loads nothing from outside and forbids scripts by policy too", () => {
    const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content")
    expect(csp).toContain("default-src 'none'")
    expect(document.querySelectorAll("link, iframe, object, embed, script[src], img[src]")).toHaveLength(0)
    for (const element of document.querySelectorAll("[src], [href]")) {
      const target = element.getAttribute("src") ?? element.getAttribute("href") ?? ""
      expect(target.startsWith("#"), target).toBe(true)
    }
    for (const element of document.querySelectorAll("[fill]")) {
      const fill = element.getAttribute("fill") ?? ""
      if (fill.startsWith("url(")) expect(fill).toMatch(/^url\(#[\w-]+\)$/)
    }
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|www\.w3\.org\/2000\/svg)/)
  })

  it("with secrets, every text shown goes through the shared redaction", () => {
    expect(page).toContain(apiKey) // the fixture's 404 body echoes the key
    const masked = render(failingReport(), { secrets: [apiKey] })
    expect(masked).not.toContain(apiKey)
    expect(masked).not.toContain(apiKey.slice(0, 8))
    expect(parse(masked).querySelector("#failures-status_code pre.body")?.textContent).toContain('"detail": "echo ***"')
  })
})

describe("ContractHtml.render of a failing run: nothing left to guess", () => {
  const report = failingReport()
  const document = parse(render(report))

  it("the verdict, the tool and its version, the base URL, the ids and the command line", () => {
    expect(report.verdict).toBe("fail")
    expect(textOf(document, "#verdict")).toBe("✗ FAIL")
    expect(document.querySelector("#verdict")?.getAttribute("class")).toContain("s-fail")
    expect(textOf(document, "#tool")).toBe("postpress 0.1.0")
    expect(textOf(document, "#base-url")).toBe("http://127.0.0.1:9/api")
    expect(textOf(document, "#account-ids")).toBe("acc 1")
    expect(textOf(document, "#command-line")).toBe(
      "postpress contract --base-url http://127.0.0.1:9/api --account-id 'acc 1' --runs 5 --html r.html"
    )
    expect(textOf(document, "title")).toBe("postpress contract: FAIL (http://127.0.0.1:9/api)")
  })

  it("Reproduce shows the whole command line, with the seed the run drew", () => {
    expect(textOf(document, "#reproduce-command")).toBe(
      "postpress contract --base-url http://127.0.0.1:9/api --account-id 'acc 1' --runs 5 --html r.html --seed 4242"
    )
    expect(textOf(document, "#seed")).toBe("4242")
  })

  it("without a recorded command line, Reproduce falls back to the seed and shows no bare tool name", () => {
    const bare = parse(render({ ...report, invocation: { ...report.invocation!, argv: [] } }))
    expect(bare.querySelector("#command-line")).toBeNull()
    expect(bare.querySelector("#reproduce-command")).toBeNull()
    expect(textOf(bare, "#reproduce")).toContain("--seed 4242")
    expect(textOf(bare, "#tool")).toBe("postpress 0.1.0")
  })

  it("a readable start time, the ISO form in the tooltip", () => {
    const time = document.querySelector("header time")!
    expect(time.textContent).toBe("6 Dec 2026, 07:41:12 UTC")
    expect(time.getAttribute("datetime")).toBe("2026-12-06T07:41:12.345Z")
    expect(time.getAttribute("title")).toBe("2026-12-06T07:41:12.345Z")
  })

  it("times carry their unit: the run's, each check's, the latency columns; no unitless column", () => {
    expect(textOf(document, "#duration")).toBe("took 1.50 s")
    const headers = [...document.querySelectorAll("#checks thead th")].map((th) => th.textContent)
    expect(headers).toEqual([
      "status",
      "check",
      "judged",
      "failures",
      "not judged",
      "p50",
      "p95",
      "p99",
      "max",
      "time",
      "note"
    ])
    const cells = (check: string) =>
      [...document.querySelectorAll(`#check-${check} td.num`)].map((td) => td.textContent ?? "")
    // status_code judged 7 exchanges: 0.4, 1.5, 2, 3, 7 ms, 800 ms and 12 s (nearest rank)
    expect(cells("status_code").slice(3, 7)).toEqual(["3.0 ms", "12.0 s", "12.0 s", "12.0 s"])
    // a response check judged answers during the whole run; a scenario check has its own time
    expect(cells("status_code")[7]).toBe("whole run")
    expect(document.querySelector("#check-status_code .whole-run")?.getAttribute("title")).toContain("1.50 s")
    expect(cells("object_level_authorization")[cells("object_level_authorization").length - 1]).toBe("42 ms")
    // a check nobody timed, or that judged nothing, shows no time instead of 0 or the run's
    expect(cells("not_found")[cells("not_found").length - 1]).toBe("–")
    expect(cells("content_type")[cells("content_type").length - 1]).toBe("–")
    for (const td of document.querySelectorAll("#checks td.num, #latency td.num")) {
      const text = td.textContent ?? ""
      if (/[.]\d/.test(text)) expect(text, "a decimal without a unit").toMatch(/ (ms|s)$/)
    }
  })

  it("failures: JSON bodies indented, status by name, decode path and curl", () => {
    const failure = document.querySelector("#failures-response_schema details.failure")!
    expect(failure.textContent).toContain(`GET http://127.0.0.1:9/api/v1/accounts/${encodeURIComponent(hostileId)}`)
    expect(textOf(failure, "dd.status")).toBe(" 200 OK")
    expect(failure.textContent).toContain("name: expected string")
    expect(failure.querySelector("pre.curl")?.textContent).toContain("X-API-KEY: ***")
    const body = failure.querySelector("pre.body")!
    expect(body.getAttribute("class")).toBe("body json")
    // indented, and the bidi override still shown as a code
    expect(body.textContent).toBe(JSON.stringify(JSON.parse(hostileBody), null, 2).replace("\u202E", "\\u{202e}"))
    const notFound = document.querySelector("#failures-status_code dd.status")!
    expect(notFound.textContent).toBe(" 404 Not Found")
    expect(notFound.querySelector("svg.swatch")).not.toBeNull()
  })

  it("a cut JSON body is indented as far as it goes and marked as cut", () => {
    const long = `{"detail":"${"a".repeat(400)}"}`
    const base = failingReport()
    const cut: ContractReport = {
      ...base,
      checks: base.checks.map((c) =>
        c.name === "status_code"
          ? { ...c, failures: c.failures.map((f) => ({ ...f, body: long.slice(0, 300), bodyTruncated: true })) }
          : c
      )
    }
    const pre = parse(render(cut)).querySelector("#failures-status_code pre.body")!
    expect(pre.getAttribute("class")).toBe("body json")
    expect(pre.textContent).toContain(`{\n  "detail": "${"a".repeat(288)}`)
    expect(pre.textContent).toContain("(cut: only the start of the body is kept)")
  })

  it("charts: 14 account types (2 seen), a latency histogram with a colour and pattern per status", () => {
    expect(document.querySelectorAll("#variant-grid li.cell")).toHaveLength(14)
    const seen = [...document.querySelectorAll("#variant-grid li.seen .label")].map((t) => t.textContent)
    expect(seen.sort()).toEqual(["LINKEDIN", "WHATSAPP"])
    const bars = [...document.querySelectorAll("svg.histogram rect title")].map((t) => t.textContent)
    expect(bars).toEqual(
      expect.arrayContaining(["200: 1 in <5ms", "200: 1 in <10ms", "429: 1 in <1ms", "no answer: 1 in ≥10s"])
    )
    expect(bars).toHaveLength(7)
    const statuses = [...document.querySelectorAll("#latency tbody td.status")].map((td) => td.textContent?.trim())
    expect(statuses).toEqual([
      "200 OK",
      "400 Bad Request",
      "404 Not Found",
      "429 Too Many Requests",
      "503 Service Unavailable",
      "no answer"
    ])
    // each status's fill is a pattern defined on the page, and 400 and 404 use different ones
    const fills = new Map(
      [...document.querySelectorAll("svg.histogram rect")].map((r) => [
        r.querySelector("title")?.textContent?.split(":")[0],
        r.getAttribute("fill")
      ])
    )
    expect(fills.get("400")).not.toBe(fills.get("404"))
    for (const fill of fills.values()) {
      const id = /^url\(#(.+)\)$/.exec(fill ?? "")?.[1]
      expect(document.querySelector(`pattern#${id}`), fill ?? "").not.toBeNull()
    }
  })

  it("the drift table lists paths and counts; --fail-on-drift says so", () => {
    const rows = [...document.querySelectorAll("#drift tbody tr")].map((r) =>
      [...r.querySelectorAll("td")].map((td) => td.textContent)
    )
    expect(rows).toEqual([
      ["connection_params.im.<script>alert(6)</script>", "1"],
      ["connection_params.im.new_flag", "1"]
    ])
    const failing = parse(render(failingReport({ failOnDrift: true })))
    expect(textOf(failing, "#drift")).toContain("--fail-on-drift")
    expect(textOf(failing, "#failures-response_schema")).toContain(
      "drift: the unknown field connection_params.im.new_flag"
    )
  })
})

describe("ContractHtml.render of an inconclusive run", () => {
  const report = inconclusiveReport()
  const document = parse(render(report))

  it("is never shown green: its own badge, striped amber, with the reasons under it", () => {
    expect(report.verdict).toBe("inconclusive")
    expect(textOf(document, "#verdict")).toBe("? INCONCLUSIVE")
    const verdictClass = document.querySelector("#verdict")?.getAttribute("class") ?? ""
    expect(verdictClass).toContain("s-inconclusive")
    expect(verdictClass).not.toContain("s-pass")
    expect(document.querySelectorAll(".s-pass")).toHaveLength(0)
    const style = textOf(document, "style")
    const rule = /\.s-inconclusive \{ background-color: (#[0-9A-F]{6});[^}]*repeating-linear-gradient/.exec(style)
    expect(rule?.[1]).toBe(verdictStyles.inconclusive!.background)
    expect(hue(rule![1]!)).not.toBeWithinGreen()
    const reasons = [...document.querySelectorAll("#inconclusive li")].map((li) => li.textContent)
    expect(reasons).toEqual(report.inconclusiveReasons)
    expect(reasons.join("\n")).toContain("503 after retries")
    expect(reasons.join("\n")).toContain(`account "acc 1" never judged`)
    expect(textOf(document, "title")).toContain("INCONCLUSIVE")
  })

  it("names what each number counts: requests vs attempts, and each check's unit and reasons", () => {
    // 48 attempts, every second one a retry: 24 requests
    expect(textOf(document, "header")).toContain("24 requests, 48 attempts (24 retries)")
    const judged = document.querySelectorAll("#check-known_accounts td.num")
    expect(judged[0]?.getAttribute("title")).toBe("0 requests judged")
    expect(judged[2]?.getAttribute("title")).toBe("48 requests not judged: 48 answers were 503 after retries")
    expect(document.querySelector("#check-status_code td.num")?.getAttribute("title")).toBe("0 answers judged")
    expect(textOf(document, "#latency thead")).toContain("attempts")
  })

  it("a check that lacked its input is shown as not run, naming the flag it needs", () => {
    const row = document.querySelector("#check-object_level_authorization")!
    expect(row.querySelector(".badge")?.textContent).toBe("– NOT RUN")
    expect(row.querySelector("td.note")?.textContent).toBe("needs --foreign-account-id")
    expect(document.querySelector("#check-status_code .badge")?.textContent).toBe("? INCONCLUSIVE")
    expect(textOf(document, "#counts")).toMatch(/^0 passed, 0 failed, \d+ inconclusive, 1 not run\.$/)
  })
})

describe("ContractHtml.render of proxy and HAR reports", () => {
  for (const source of ["proxy", "har"] as const) {
    it(`${source}: no seed, no runs; the command line reruns it as given`, () => {
      const report = failingReport({ source })
      const document = parse(render(report))
      expect(document.querySelector("#seed")).toBeNull()
      expect(document.querySelector("#account-ids")).toBeNull()
      const header = textOf(document, "header")
      expect(header).not.toMatch(/\bseed\b|\d+ runs?\b|retr/)
      expect(header).toContain(source === "proxy" ? "proxy session" : "HAR file")
      expect(header).toContain("7 exchanges")
      const command = invocation(source).argv.join(" ")
      expect(textOf(document, "#command-line")).toBe(`postpress ${command}`)
      expect(textOf(document, "#reproduce-command")).toBe(`postpress ${command}`)
      expect(textOf(document, "#reproduce")).not.toContain("--seed")
    })
  }
})

/** The hue (0-360) of a `#RRGGBB` colour. */
const hue = (hex: string): number => {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number]
  const max = Math.max(r, g, b)
  const delta = max - Math.min(r, g, b)
  if (delta === 0) return 0
  const h = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4
  return (h * 60 + 360) % 360
}

expect.extend({
  toBeWithinGreen(received: number) {
    const pass = received >= 75 && received <= 170
    return { pass, message: () => `hue ${received} is${pass ? "" : " not"} green (75-170)` }
  }
})

declare module "vitest" {
  interface Assertion<T> {
    toBeWithinGreen(): T
  }
}
