/**
 * `ResponseRules.parseJson`, the one parse of a body every judge shares (a
 * `Schema.parseJson`): JSON comes back as the value it encodes, anything
 * else as `NotJson`, never a throw; a body is parsed whole (no reviver, no
 * prototype set by a `__proto__` key).
 */
import { test } from "@fast-check/vitest"
import { ResponseRules } from "@postpress/schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

describe("ResponseRules.parseJson", () => {
  test.prop([fc.jsonValue()])("JSON text comes back as the value it encodes", (value) => {
    expect(ResponseRules.parseJson(JSON.stringify(value))).toStrictEqual(JSON.parse(JSON.stringify(value)))
  })

  test.prop([fc.string()])("any text: the value JSON.parse gives, or NotJson where it throws", (text) => {
    let expected: unknown
    try {
      expected = JSON.parse(text)
    } catch {
      expected = ResponseRules.NotJson
    }
    expect(ResponseRules.parseJson(text)).toStrictEqual(expected)
  })

  it("what a gateway sends instead of JSON is NotJson", () => {
    for (const body of ["", " ", "<html>502 Bad Gateway</html>", '{"id":', "NaN", "undefined", "{'a':1}"]) {
      expect(ResponseRules.parseJson(body)).toBe(ResponseRules.NotJson)
    }
  })

  it("a __proto__ key is an own property, not a prototype", () => {
    const parsed = ResponseRules.parseJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
    expect(Object.hasOwn(parsed, "__proto__")).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
