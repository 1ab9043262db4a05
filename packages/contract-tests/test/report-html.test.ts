/**
 * The HTML report, read the way a browser would: parsed with a DOM library.
 * Hostile text from a server (`<script>`, `<img onerror>`, attribute
 * break-outs, bidi overrides) must come out as text, never as elements or
 * attributes; the page loads nothing from outside; the charts and tables
 * carry the report's numbers.
 */
import * as Effect from "effect/Effect"
import { parseHTML } from "linkedom"
import { describe, expect, it } from "vitest"
import { checkNames } from "../src/ContractCheck.js"
import { render } from "../src/ContractHtml.js"
import { runAgainstMock } from "../src/ContractMock.js"
import * as Builder from "../src/internal/report/builder.js"

const hostileId = `acc_<script>alert("id")</script>"'><img src=x onerror=alert(1)>`
const hostileBody = `{"id":"<img src=x onerror=alert(2)>","name":"</pre><script>alert(3)</script>","x":"\u202Egnp.exe"}`

const report = (failOnDrift = false) => {
  const b = Builder.make({
    baseUrl: "http://127.0.0.1:9/api",
    seed: 4242,
    runs: 5,
    strict: false,
    startedAt: "2026-11-29T12:00:00.000Z",
    settings: { rateLimit: 10, concurrency: 4, maxResponseTimeMs: 250, failOnDrift }
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
    [404, 1.5],
    [429, 0.4],
    [503, 800],
    [null, 12_000]
  ] as const) {
    b.exchange({ status, latencyMs: ms, checks: ["status_code"] })
  }
  b.evaluated("status_code", 6)
  b.evaluated("response_schema", 2)
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
  b.drift([`connection_params.im.<script>alert(6)</script>`, "connection_params.im.new_flag"], {
    check: "response_schema",
    request,
    status: 200,
    curl: null
  })
  return b.finish({ durationMs: 1500 })
}

const parse = (page: string) => parseHTML(page).document

describe("ContractHtml.render", () => {
  const page = render(report())
  const document = parse(page)

  it("server text stays text: no script, no img, no event-handler attribute", () => {
    expect(document.querySelectorAll("script")).toHaveLength(0)
    expect(document.querySelectorAll("img")).toHaveLength(0)
    for (const element of document.querySelectorAll("*")) {
      for (const name of element.getAttributeNames()) expect(name.startsWith("on"), name).toBe(false)
    }
    const text = document.body.textContent ?? ""
    // each hostile string is shown, literally, as text
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
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|www\.w3\.org\/2000\/svg)/)
  })

  it("shows the verdict, the checks, the seed and each failure with request, status, decode path and curl", () => {
    expect(document.querySelector("#verdict")?.textContent).toBe("FAIL")
    expect(document.querySelector("#seed")?.textContent).toBe("4242")
    expect(document.querySelectorAll("#checks tbody tr").length).toBe(report().checks.length)
    expect(document.querySelector("#check-response_schema .badge")?.textContent).toBe("FAIL")
    const failure = document.querySelector("#failures-response_schema details.failure")!
    const text = failure.textContent ?? ""
    expect(text).toContain(`GET http://127.0.0.1:9/api/v1/accounts/${encodeURIComponent(hostileId)}`)
    expect(text).toContain("status200")
    expect(text).toContain("name: expected string")
    expect(failure.querySelector("pre.curl")?.textContent).toContain("X-API-KEY: ***")
  })

  it("charts: 14 account types (2 seen), a latency histogram with one colour per status", () => {
    const cells = document.querySelectorAll("svg.variants g")
    expect(cells).toHaveLength(14)
    expect(document.querySelectorAll("svg.variants g.seen")).toHaveLength(2)
    const seen = [...document.querySelectorAll("svg.variants g.seen title")].map((t) => t.textContent)
    expect(seen.sort()).toEqual(["LINKEDIN: seen", "WHATSAPP: seen"])
    const bars = [...document.querySelectorAll("svg.histogram rect title")].map((t) => t.textContent)
    expect(bars).toEqual(
      expect.arrayContaining(["200: 1 in <5ms", "200: 1 in <10ms", "429: 1 in <1ms", "no answer: 1 in ≥10s"])
    )
    expect(bars).toHaveLength(6)
    const statuses = [...document.querySelectorAll("#latency tbody tr td:first-child")].map((td) =>
      td.textContent?.replace("■", "").trim()
    )
    expect(statuses).toEqual(["200", "404", "429", "503", "no answer"])
  })

  it("the drift table lists paths and counts; --fail-on-drift says so", () => {
    const rows = [...document.querySelectorAll("#drift tbody tr")].map((r) =>
      [...r.querySelectorAll("td")].map((td) => td.textContent)
    )
    expect(rows).toEqual([
      ["connection_params.im.<script>alert(6)</script>", "1"],
      ["connection_params.im.new_flag", "1"]
    ])
    const failing = parse(render(report(true)))
    expect(failing.querySelector("#drift")?.textContent).toContain("--fail-on-drift")
    expect(failing.querySelector("#failures-response_schema")?.textContent).toContain(
      "drift: the unknown field connection_params.im.new_flag"
    )
  })
})

describe("ContractHtml.render of a real run", () => {
  it("against the embedded mock: PASS, every check, all 14 types seen, latency by status", async () => {
    const report = await Effect.runPromise(runAgainstMock({ seed: 42, runs: 5, maxResponseTime: "30 seconds" }))
    const document = parse(render(report))
    expect(document.querySelector("#verdict")?.textContent).toBe("PASS")
    expect(document.querySelectorAll("#checks tbody tr")).toHaveLength(checkNames.length)
    expect(document.querySelectorAll("svg.variants g.seen")).toHaveLength(14)
    const statuses = [...document.querySelectorAll("#latency tbody tr td:first-child")].map((td) =>
      td.textContent?.replace("■", "").trim()
    )
    expect(statuses).toEqual(expect.arrayContaining(["200", "401", "404"]))
    const bars = document.querySelectorAll("svg.histogram rect")
    expect(bars.length).toBeGreaterThan(2)
    expect(document.querySelector("#failures")?.textContent).toContain("None.")
    expect(document.querySelector("#seed")?.textContent).toBe("42")
  })
})
