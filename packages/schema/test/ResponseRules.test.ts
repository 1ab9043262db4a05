/**
 * The response rules every judge shares: content type, Account shape, the
 * requested id, documented statuses and server errors.
 */
import { ResponseRules, SpecExample } from "@postpress/schema"
import { describe, expect, it } from "vitest"

const example = SpecExample.retrieveAccountResponse as { readonly id: string }
const json = "application/json; charset=utf-8"

describe("ResponseRules.success (the 200 rules)", () => {
  it("accepts the spec's example for its own id", () => {
    expect(ResponseRules.success({ requestedId: example.id, contentType: json, json: example })).toEqual([])
  })

  it("refuses another account's id", () => {
    const found = ResponseRules.success({ requestedId: "acc_other", contentType: json, json: example })
    expect(found.map((f) => f.rule)).toEqual(["account_id"])
    expect(found[0]!.issues).toEqual([`id: expected "acc_other", got ${JSON.stringify(example.id)}`])
  })

  it("refuses text/html on a 200", () => {
    const found = ResponseRules.success({ requestedId: example.id, contentType: "text/html", json: example })
    expect(found).toEqual([
      { rule: "json_content_type", message: 'expected application/json, got "text/html"', issues: [] }
    ])
  })

  it("a body that is not JSON is one account_schema finding (no id finding)", () => {
    const parsed = ResponseRules.parseJson("<html>")
    expect(parsed).toBe(ResponseRules.NotJson)
    const found = ResponseRules.success({ requestedId: "x", contentType: "text/html", json: parsed })
    expect(found.map((f) => f.rule)).toEqual(["json_content_type", "account_schema"])
  })

  it("a body that is not an Account names its issues", () => {
    const found = ResponseRules.accountSchema({ id: "acc_1" }, false)
    expect(found?.rule).toBe("account_schema")
    expect(found?.issues.length).toBeGreaterThan(0)
  })
})

describe("status rules", () => {
  it("documents 200 and the error tiers; 503/504 are transient", () => {
    expect([...ResponseRules.documentedStatuses].sort()).toEqual([200, 400, 401, 404, 500, 503, 504])
    expect(ResponseRules.documentedStatus(418)?.rule).toBe("documented_status")
    expect(ResponseRules.documentedStatus(404)).toBeUndefined()
    expect(ResponseRules.serverError(502)?.message).toBe("the request provoked a server error (502)")
    expect(ResponseRules.serverError(503)).toBeUndefined()
  })

  it("problem+json is accepted on errors only", () => {
    expect(ResponseRules.contentType(404, "application/problem+json")).toBeUndefined()
    expect(ResponseRules.contentType(200, "application/problem+json")?.rule).toBe("json_content_type")
    expect(ResponseRules.contentType(200, undefined)?.message).toBe("expected application/json, got no Content-Type")
    expect(ResponseRules.mediaType(" Application/JSON ; charset=utf-8")).toBe("application/json")
  })
})

describe("ResponseRules.notTheApi (answers that are not the API's)", () => {
  const classify = (status: number, contentType: string | undefined, body: string, requestHeaders = {}) =>
    ResponseRules.notTheApi({ status, contentType, json: ResponseRules.parseJson(body), requestHeaders })

  it("a load balancer's HTML 503, a text 502 and an empty 504 are gateway pages", () => {
    expect(classify(503, "text/html; charset=utf-8", "<html>down</html>")?.reason).toBe("gateway page: 503 text/html")
    expect(classify(502, "text/plain", "Bad Gateway")?.kind).toBe("gateway")
    expect(classify(504, undefined, "")?.reason).toBe("gateway page: 504 none")
  })

  it("a JSON body on 502/503/504 is the API's (judged as an envelope)", () => {
    expect(classify(503, "application/json", '{"title":"x"}')).toBeUndefined()
    expect(classify(503, "text/html", '{"status":503}')).toBeUndefined()
  })

  it("304 is a cache answer; 412/206/416 only for conditional or range requests", () => {
    expect(classify(304, undefined, "")?.kind).toBe("cache")
    expect(classify(412, "text/plain", "")).toBeUndefined()
    expect(classify(412, "text/plain", "", { "if-match": '"x"' })?.kind).toBe("cache")
    expect(classify(206, "application/json", "{", { range: "bytes=0-1" })?.kind).toBe("partial")
    expect(classify(206, "application/json", "{")).toBeUndefined()
  })

  it("any other answer is the API's", () => {
    for (const status of [200, 400, 401, 404, 500]) expect(classify(status, "text/html", "<html>")).toBeUndefined()
  })
})
