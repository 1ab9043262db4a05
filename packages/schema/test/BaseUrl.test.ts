/**
 * THE base-URL rule: one message per defect, one normal form.
 */
import { BaseUrl } from "@postpress/schema"
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"

describe("BaseUrl", () => {
  it.each([
    ["https://api.postpress.ai/api", "https://api.postpress.ai/api"],
    ["https://API.example.com:443/api/", "https://api.example.com/api"],
    ["http://127.0.0.1:4010", "http://127.0.0.1:4010"],
    ["http://127.0.0.1:4010/", "http://127.0.0.1:4010"]
  ])("%s is %s", (text, normal) => {
    expect(Schema.decodeSync(BaseUrl.BaseUrl)(text)).toBe(normal)
    expect(BaseUrl.parse(text)).toEqual(Either.right(normal))
  })

  it.each([
    ["https://x.example/api?", "must not have a query (?)"],
    ["https://x.example/api?a=1", "must not have a query (?)"],
    ["https://x.example/api#", "must not have a fragment (#)"],
    ["https://x.example/api#top", "must not have a fragment (#)"],
    ["https://u:p@x.example/api", "must not contain credentials (user:password@)"],
    ["ftp://x.example/api", "expected an http: or https: URL, got ftp:"],
    ["x.example/api", 'not an absolute URL: "x.example/api"'],
    ["", 'not an absolute URL: ""']
  ])("%s is refused: %s", (text, message) => {
    expect(BaseUrl.defect(text)).toBe(message)
    expect(BaseUrl.parse(text)).toEqual(Either.left(message))
    const decoded = Schema.decodeUnknownEither(BaseUrl.BaseUrl)(text)
    expect(Either.isLeft(decoded) && decoded.left.message).toContain(message)
  })
})
