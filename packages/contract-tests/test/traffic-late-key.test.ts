/**
 * A key first seen AFTER a failure that carries it: the session's last pass
 * masks it everywhere in that failure — its URL and the account id as
 * given — so no report holds it (here a HAR: the first exchange asks for
 * the second key as an account id, the second exchange sends that key).
 */
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { describe, expect } from "vitest"
import * as ContractHar from "../src/ContractHar.js"
import { render as renderHtml } from "../src/ContractHtml.js"
import { toJunitXml } from "../src/ContractJunit.js"
import { toJson } from "../src/ContractReport.js"
import { harText } from "./support/har.js"

const baseUrl = "http://127.0.0.1:9/api"
const FIRST_KEY = "pp_live_FIRST_KEY_0001"
const LATE_KEY = "pp_live_LATE_KEY_00002"

describe("a key seen late", () => {
  it.effect("is masked in a failure recorded before it was seen: url and account id, in every report", () =>
    Effect.gen(function* () {
      const har = harText([
        {
          url: `${baseUrl}/v1/accounts/${LATE_KEY}`,
          requestHeaders: { "x-api-key": FIRST_KEY },
          responseHeaders: { "content-type": "application/json" },
          body: "not json"
        },
        {
          url: `${baseUrl}/v1/accounts/acc_1`,
          status: 404,
          requestHeaders: { "x-api-key": LATE_KEY },
          responseHeaders: { "content-type": "application/json" },
          body: JSON.stringify({ type: "errors/account_not_found", title: "Not found", detail: "none", status: 404 })
        }
      ])
      const report = yield* ContractHar.judgeDocuments([{ file: "late.har", text: har }], { baseUrl })
      const failure = report.checks.flatMap((check) => check.failures).find((f) => f.request?.url.includes("***"))
      expect(failure?.request?.accountId).toBe("***")
      for (const text of [toJson(report), renderHtml(report), toJunitXml(report)]) {
        expect(text).not.toContain(LATE_KEY)
        expect(text).not.toContain(FIRST_KEY)
      }
    })
  )
})
