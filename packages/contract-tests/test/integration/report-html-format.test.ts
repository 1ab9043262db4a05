/**
 * The HTML report's text helpers: every duration carries its unit, the start
 * time reads as a person writes it, a command line pastes back into a POSIX
 * shell as the same arguments, and only a whole JSON body is re-indented.
 */
import { execFileSync } from "node:child_process"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  commandLine,
  duration,
  indentJsonPrefix,
  prettyBody,
  readableTime,
  shellQuote
} from "../../src/internal/render/html/format.js"

describe("duration", () => {
  it("always names its unit", () => {
    expect([0.42, 9.96, 12, 999.4, 1500, 12_345, 61_500, 3_600_000 + 120_000].map(duration)).toEqual([
      "0.4 ms",
      "10.0 ms",
      "12 ms",
      "999 ms",
      "1.50 s",
      "12.3 s",
      "1 min 02 s",
      "1 h 02 min"
    ])
    fc.assert(fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (ms) => /\d (ms|s|min|h)$/.test(duration(ms))))
  })
})

describe("readableTime", () => {
  it("reads as day, month, year and UTC time; keeps what it cannot read", () => {
    expect(readableTime("2026-12-06T07:41:12.345Z")).toBe("6 Dec 2026, 07:41:12 UTC")
    expect(readableTime("2026-01-31T23:05:09+01:00")).toBe("31 Jan 2026, 22:05:09 UTC")
    expect(readableTime("not a time")).toBe("not a time")
  })
})

describe("shellQuote", () => {
  it("leaves plain words alone and quotes the rest", () => {
    expect(commandLine("postpress", ["contract", "--base-url", "http://127.0.0.1:8080/api", "--seed", "42"])).toBe(
      "postpress contract --base-url http://127.0.0.1:8080/api --seed 42"
    )
    expect(shellQuote("acc 1")).toBe("'acc 1'")
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote("")).toBe("''")
  })

  it("a POSIX shell reads the quoted line back as the same arguments", () => {
    const args = ["plain", "two words", "it's", "$HOME", "`id`", 'a"b', "*", "", "--flag=x;y", "ü\tnew\nline"]
    const out = execFileSync("/bin/sh", ["-c", `printf '%s\\0' ${args.map(shellQuote).join(" ")}`], {
      encoding: "utf8"
    })
    expect(out.split("\0").slice(0, -1)).toEqual(args)
  })
})

describe("prettyBody", () => {
  it("indents a whole JSON document and leaves anything else as it is", () => {
    expect(prettyBody(`{"a":1,"b":[true]}`)).toEqual({ text: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}', json: true })
    expect(prettyBody(`{"a":1,"b":[tr`)).toEqual({ text: `{"a":1,"b":[tr`, json: false })
    expect(prettyBody(`{"a":1,"b":[tr`, true)).toEqual({ text: '{\n  "a": 1,\n  "b": [\n    tr', json: true })
    expect(prettyBody("Service Unavailable")).toEqual({ text: "Service Unavailable", json: false })
    expect(prettyBody("42")).toEqual({ text: "42", json: false })
  })
})

describe("indentJsonPrefix", () => {
  it("indents a whole document exactly as JSON.stringify(value, null, 2)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(indentJsonPrefix(JSON.stringify(value))).toBe(JSON.stringify(value, null, 2))
      })
    )
  })

  it("indents any cut of a document as the start of the whole one, strings untouched", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, at) => {
        const compact = JSON.stringify(value)
        const prefix = compact.slice(0, at % (compact.length + 1))
        expect(JSON.stringify(value, null, 2).startsWith(indentJsonPrefix(prefix).trimEnd())).toBe(true)
      })
    )
    expect(indentJsonPrefix(`{"a": "x, {y}: [z]\\"", "b": {"c": [1, `)).toBe(
      `{\n  "a": "x, {y}: [z]\\"",\n  "b": {\n    "c": [\n      1,\n      `
    )
  })
})
