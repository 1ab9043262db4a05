/**
 * What a proxy session or a HAR file did not judge reaches every rendering:
 * the HTML page lists each reason with its count (`#not-judged`, like the
 * suite's reasons box), the summary line and the JUnit properties carry the
 * same reasons and counts, and text from the traffic stays text.
 */
import type * as Http from "node:http"
import * as Zlib from "node:zlib"
import { AccountsApi, SpecExample } from "@postpress/schema"
import * as Effect from "effect/Effect"
import { parseHTML } from "linkedom"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ContractHar from "../src/ContractHar.js"
import { render } from "../src/ContractHtml.js"
import { toJunitXml } from "../src/ContractJunit.js"
import * as ContractTraffic from "../src/ContractTraffic.js"
import { type Origin, send, startOrigin, withProxy } from "./proxy-support.js"

const KEY = "pp_live_NOTJUDGED_0123456789"
const base = "http://127.0.0.1:9/api"
const account = (id: string) => JSON.stringify({ ...SpecExample.retrieveAccountResponse, id })
/** A gateway's media type with markup in it: it must be shown, never parsed. */
const hostileType = "text/<img src=x onerror=alert(1)>"

interface EntryOptions {
  readonly method?: string
  readonly status: number
  readonly headers?: Record<string, string>
  readonly text?: string
  readonly encoding?: "base64"
}

const entry = (path: string, options: EntryOptions) => ({
  request: { method: options.method ?? "GET", url: `${base}${path}`, headers: [{ name: "x-api-key", value: "***" }] },
  response: {
    status: options.status,
    headers: Object.entries(options.headers ?? {}).map(([name, value]) => ({ name, value })),
    content: { text: options.text ?? "", ...(options.encoding === undefined ? {} : { encoding: options.encoding }) }
  }
})

const json = { "content-type": "application/json" }

/** One judged account, and one or more of each reason the brief names. */
const harText = JSON.stringify({
  log: {
    version: "1.2",
    entries: [
      entry("/v1/accounts/acc_ok", { status: 200, headers: json, text: account("acc_ok") }),
      entry("/v1/accounts/acc_ok", { method: "POST", status: 405, headers: json, text: "{}" }),
      entry("/v1/other", { status: 200, headers: json, text: "{}" }),
      entry("/v1/accounts/acc_down", { status: 503, headers: { "content-type": hostileType }, text: "<h1>down</h1>" }),
      entry("/v1/accounts/acc_down", { status: 503, headers: { "content-type": hostileType }, text: "<h1>down</h1>" }),
      entry("/v1/accounts/acc_etag", { status: 304, headers: { etag: '"v1"' } }),
      entry("/v1/accounts/acc_gzip", {
        status: 200,
        headers: { ...json, "content-encoding": "gzip" },
        // Recorded as sent (base64), cut short: a stream that cannot be decoded.
        text: Zlib.gzipSync(account("acc_gzip")).subarray(0, 25).toString("base64"),
        encoding: "base64"
      })
    ]
  }
})

const expected = { not_operation: 2, gateway_page: 2, cache_answer: 1, undecodable: 1 }

const parse = (page: string) => parseHTML(page).document

/** Each `li` of the not-judged list as reason → [count, text]. */
const listed = (page: string): Record<string, readonly [number, string]> => {
  const items = [...parse(page).querySelectorAll("#not-judged li[data-reason]")]
  return Object.fromEntries(
    items.map((li) => [li.getAttribute("data-reason"), [Number(li.getAttribute("data-count")), li.textContent ?? ""]])
  )
}

describe("a HAR report with exchanges not judged", () => {
  const report = Effect.runPromise(ContractHar.judgeDocuments([{ file: "mixed.har", text: harText }]))

  it("the model counts each reason (the premise of the renderings below)", async () => {
    const r = await report
    expect(r.verdict).toBe("pass")
    expect(r.traffic.judged).toBe(1)
    expect(r.traffic.notJudgedBy).toEqual(expected)
  })

  it("the HTML lists each reason with its count, in words that start with that count", async () => {
    const page = render(await report)
    const items = listed(page)
    expect(Object.keys(items).sort()).toEqual(Object.keys(expected).sort())
    for (const [reason, count] of Object.entries(expected)) {
      expect(items[reason]![0], reason).toBe(count)
      expect(items[reason]![1], reason).toMatch(new RegExp(`^${count} `))
    }
    expect(items.not_operation![1]).toBe("2 not the operation (method or path)")
    expect(items.cache_answer![1]).toBe("1 answer was a cache answer: 304 Not Modified")
    expect(items.undecodable![1]).toMatch(/^1 body not decodable: /)
    const document = parse(page)
    expect(document.querySelector("#not-judged h2")?.textContent).toBe("Not judged: 6 of 7 exchanges")
    // The header counts them and links to the list.
    expect(document.querySelector('a[href="#not-judged"]')?.textContent).toBe("6 not judged")
    // A check's counts agree with their noun: the one judged answer is "1 answer".
    const [judged, , notJudged] = [...document.querySelectorAll("#check-status_code td.num")]
    expect(judged?.getAttribute("title")).toBe("1 answer judged")
    expect(notJudged?.getAttribute("title")).toMatch(/^\d+ answers not judged: /)
  })

  it("text from the traffic stays text", async () => {
    const page = render(await report)
    const document = parse(page)
    expect(document.querySelectorAll("img")).toHaveLength(0)
    expect(page).not.toContain("<img src=x")
    expect(listed(page).gateway_page![1]).toContain("<img src=x onerror=alert(1)>")
  })

  it("the summary line and the JUnit properties carry the same reasons and counts", async () => {
    const r = await report
    const line = ContractTraffic.summaryLine(r)
    const page = render(r)
    for (const [, text] of Object.values(listed(page))) expect(line).toContain(text)
    const junit = toJunitXml(r)
    for (const [reason, count] of Object.entries(expected)) {
      expect(junit).toContain(`<property name="not_judged.${reason}" value="${count}"/>`)
    }
    expect(junit).toContain('<property name="exchanges_not_judged" value="6: 2 not the operation')
  })
})

describe("an inconclusive traffic report", () => {
  it("shows one list: the reasons the run could not be judged, each with its count", async () => {
    const only = JSON.stringify({
      log: {
        version: "1.2",
        entries: [
          entry("/v1/accounts/acc_etag", { status: 304 }),
          entry("/v1/accounts/acc_etag", { status: 304 }),
          entry("/v1/other", { status: 200, headers: json, text: "{}" })
        ]
      }
    })
    const report = await Effect.runPromise(ContractHar.judgeDocuments([{ file: "none.har", text: only }]))
    expect(report.verdict).toBe("inconclusive")
    const page = render(report)
    const document = parse(page)
    expect(document.querySelector("#not-judged h2")?.textContent).toBe("Could not be judged: 3 of 3 exchanges")
    expect(listed(page)).toEqual({
      cache_answer: [2, "2 answers were cache answers: 304 Not Modified"],
      not_operation: [1, "1 not the operation (method or path)"]
    })
    // Its one run reason is that list in one line: not shown twice.
    expect(document.querySelector("#inconclusive")).toBeNull()
    expect(document.querySelectorAll("#not-judged li")).toHaveLength(2)
  })
})

describe("a proxy session's HTML report", () => {
  let origin: Origin
  beforeAll(async () => {
    const write = (res: Http.ServerResponse, status: number, headers: Record<string, string>, body: string) => {
      res.writeHead(status, { "content-length": String(Buffer.byteLength(body)), ...headers })
      res.end(body)
    }
    origin = await startOrigin({
      "/api/v1/accounts/acc_ok": (_req, res) => write(res, 200, json, account("acc_ok")),
      "/api/v1/accounts/acc_down": (_req, res) => write(res, 502, { "content-type": hostileType }, "<h1>bad</h1>"),
      "/api/v1/accounts/acc_etag": (_req, res) => write(res, 304, {}, "")
    })
  })
  afterAll(() => origin?.stop())

  it("lists what the terminal's summary says was not judged", async () => {
    const session = await withProxy({ target: `${origin.url}/api` }, async (url) => {
      const headers = { [AccountsApi.apiKeyHeader]: KEY }
      for (const path of ["/v1/accounts/acc_ok", "/v1/accounts/acc_down", "/v1/accounts/acc_etag", "/v1/nope"]) {
        const answer = await send(url, path, { headers })
        expect(answer.status, path).toBeGreaterThan(0)
      }
    })
    const page = render(session.report)
    expect(Object.fromEntries(Object.entries(listed(page)).map(([reason, [count]]) => [reason, count]))).toEqual({
      not_operation: 1,
      gateway_page: 1,
      cache_answer: 1
    })
    const line = ContractTraffic.summaryLine(session.report)
    expect(line).toContain("not judged: ")
    for (const [, text] of Object.values(listed(page))) expect(line).toContain(text)
    expect(parse(page).querySelectorAll("img")).toHaveLength(0)
    expect(page).not.toContain(KEY)
  })
})
