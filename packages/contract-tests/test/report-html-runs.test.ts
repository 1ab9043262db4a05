/**
 * The HTML page of real runs over real HTTP (loopback servers started and
 * stopped with each test's scope): a server whose accounts do not decode
 * gives a FAIL page naming the tool, version and command line with times in
 * units; a server that answers every request with a 503 gives an
 * INCONCLUSIVE page that is not green and says why; the embedded mock gives
 * a PASS page with every check, every account type and latency by status.
 */
import * as Http from "node:http"
import { describe, expect, it } from "@effect/vitest"
import { SpecExample } from "@postpress/schema"
import * as Effect from "effect/Effect"
import { parseHTML } from "linkedom"
import { runContract } from "../src/Contract.js"
import { checkNames } from "../src/ContractCheck.js"
import { render } from "../src/ContractHtml.js"
import { runAgainstMock } from "../src/ContractMock.js"
import type { Invocation } from "../src/ContractReport.js"
import { listenLoopback } from "./support/loopback.js"

const KEY = "pp_live_HTML_REPORT_0a1b2c3d"

type Handler = (req: Http.IncomingMessage, res: Http.ServerResponse) => void

const send = (res: Http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" })
  res.end(JSON.stringify(body))
}

/** Correct errors, but the one known account's `name` is a number. */
const brokenAccount: Handler = (req, res) => {
  const key = req.headers["x-api-key"]
  if (key === undefined)
    return send(res, 401, { title: "Unauthorized", type: "errors/missing_credentials", status: 401 })
  if (key !== KEY) return send(res, 401, { title: "Unauthorized", type: "errors/invalid_credentials", status: 401 })
  const raw = (req.url ?? "").split("?")[0]!
  const segment = raw.slice("/api/v1/accounts/".length)
  if (!raw.startsWith("/api/v1/accounts/") || segment.includes("/") || segment.includes(";")) {
    return send(res, 404, { title: "Not Found", type: "errors/resource_not_found", status: 404 })
  }
  let id: string
  try {
    id = decodeURIComponent(segment)
  } catch {
    return send(res, 400, { title: "Bad Request", type: "errors/invalid_parameters", status: 400 })
  }
  if (id === "acc_1") return send(res, 200, { ...SpecExample.retrieveAccountResponse, id, name: 42 })
  return send(res, 404, { title: "Not Found", type: "errors/resource_not_found", status: 404 })
}

/** Staging down: every request gets a 503 envelope. */
const down: Handler = (_req, res) =>
  send(res, 503, { title: "Service Unavailable", type: "errors/no_handler", status: 503 })

/** A loopback server answering with `handler` while the scope is open; its base URL. */
const serve = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.promise(() => listenLoopback(Http.createServer({ maxHeaderSize: 1024 * 1024 }, handler))),
    (server) => Effect.promise(server.stop)
  ).pipe(Effect.map((server) => `${server.origin}/api`))

const invocation = (baseUrl: string): Invocation => ({
  tool: "postpress",
  version: "0.1.0",
  argv: ["contract", "--base-url", baseUrl, "--account-id", "acc_1", "--runs", "3", "--html", "contract.html"],
  accountIds: ["acc_1"]
})

const run = (baseUrl: string) =>
  runContract({
    baseUrl,
    apiKey: KEY,
    accountIds: ["acc_1"],
    seed: 11,
    runs: 3,
    // one attempt: a 503 is final at once, so the run stays short
    maxAttempts: 1,
    invocation: invocation(baseUrl)
  })

describe("the HTML page of real runs", () => {
  it.scoped("a failing run: FAIL, tool and version, the command line to rerun it, times with units", () =>
    Effect.gen(function* () {
      const baseUrl = yield* serve(brokenAccount)
      const report = yield* run(baseUrl)
      expect(report.verdict).toBe("fail")
      const page = render(report, { secrets: [KEY] })
      expect(page).not.toContain(KEY)
      const document = parseHTML(page).document
      expect(document.querySelector("#verdict")?.textContent).toBe("✗ FAIL")
      expect(document.querySelector("#tool")?.textContent).toBe("postpress 0.1.0")
      const typed = `postpress contract --base-url ${baseUrl} --account-id acc_1 --runs 3 --html contract.html`
      expect(document.querySelector("#command-line")?.textContent).toBe(typed)
      expect(document.querySelector("#reproduce-command")?.textContent).toBe(`${typed} --seed 11`)
      expect(document.querySelector("#duration")?.textContent).toMatch(/^took \d+(\.\d+)? (ms|s)$/)
      const schema = document.querySelector("#failures-response_schema")?.textContent ?? ""
      expect(schema).toContain("name")
      expect(document.querySelector("#failures-response_schema pre.body")?.getAttribute("class")).toBe("body json")
      expect(document.querySelector("#failures-response_schema pre.body")?.textContent).toContain('\n  "name": 42')
      for (const td of document.querySelectorAll("#checks td.num")) {
        const text = td.textContent ?? ""
        if (text.includes(".")) expect(text).toMatch(/ (ms|s)$/)
      }
    })
  )

  it.scoped("staging down (every answer 503): INCONCLUSIVE, not green, with the reasons", () =>
    Effect.gen(function* () {
      const report = yield* run(yield* serve(down))
      expect(report.verdict).toBe("inconclusive")
      const document = parseHTML(render(report)).document
      expect(document.querySelector("#verdict")?.textContent).toBe("? INCONCLUSIVE")
      expect(document.querySelectorAll(".verdict.s-pass")).toHaveLength(0)
      expect(document.querySelector("#verdict")?.getAttribute("class")).toBe("verdict s-inconclusive")
      const reasons = [...document.querySelectorAll("#inconclusive li")].map((li) => li.textContent ?? "")
      expect(reasons.length).toBeGreaterThan(0)
      expect(reasons.join("\n")).toContain("503")
      expect(reasons.join("\n")).toContain("acc_1")
      expect(document.querySelector("#check-object_level_authorization .badge")?.textContent).toBe("– NOT RUN")
      expect(document.querySelector("#check-object_level_authorization td.note")?.textContent).toContain(
        "--foreign-account-id"
      )
    })
  )

  it.effect("against the embedded mock: PASS, every check, all 14 types seen, latency by status", () =>
    Effect.gen(function* () {
      const report = yield* runAgainstMock({ seed: 42, runs: 5, maxResponseTime: "30 seconds" })
      const document = parseHTML(render(report)).document
      expect(document.querySelector("#verdict")?.textContent).toBe("✓ PASS")
      expect(document.querySelectorAll("#checks tbody tr")).toHaveLength(checkNames.length)
      expect(document.querySelectorAll("#variant-grid li.seen")).toHaveLength(14)
      const statuses = [...document.querySelectorAll("#latency tbody td.status")].map((td) => td.textContent?.trim())
      expect(statuses).toEqual(expect.arrayContaining(["200 OK", "401 Unauthorized", "404 Not Found"]))
      expect(document.querySelectorAll("svg.histogram rect").length).toBeGreaterThan(2)
      expect(document.querySelector("#failures")?.textContent).toContain("None.")
      expect(document.querySelector("#seed")?.textContent).toBe("42")
    })
  )
})
