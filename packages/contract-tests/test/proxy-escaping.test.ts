/**
 * Bytes from a server never drive the terminal that shows the proxy's
 * lines: whatever a hostile upstream puts in its reason phrase, its header
 * values or its body (`\r`, `ESC[1A`, `ESC[2K`, OSC 52, BEL, NUL, C1 CSI,
 * DEL), every violation and finding line, and the summary line, show it
 * escaped (`\x1b`), never raw. Property-tested against a raw TCP upstream.
 */
import * as Zlib from "node:zlib"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { SpecExample } from "@postpress/schema"
import * as Effect from "effect/Effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as ContractHar from "../src/ContractHar.js"
import * as ContractTraffic from "../src/ContractTraffic.js"
import { rawUpstream, send, withProxy } from "./proxy-support.js"

const runPromise = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer))

// biome-ignore lint/suspicious/noControlCharactersInRegex: exactly what must never be printed raw
const rawControl = /[\u0000-\u001f\u007f-\u009f]/

/** Characters a hostile server favours: terminal controls, C1, DEL, and plain text around them. */
const hostileChar = fc.oneof(
  fc.constantFrom(
    "\r",
    "\n",
    "\u001b[1A",
    "\u001b[2K",
    "\u001b]52;c;ZXZpbA==\u0007",
    "\u0007",
    "\u0000",
    "\u009b2J",
    "\u007f"
  ),
  fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom("a", "Z", " ", "/", ":", '"', "{", "}")
)
const hostileText = fc.array(hostileChar, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(""))

interface Answer {
  readonly status: number
  readonly reason: string
  readonly contentType: string
  readonly body: string
  readonly gzip: boolean
}

const answerArb: fc.Arbitrary<Answer> = fc.record({
  status: fc.constantFrom(200, 404, 500, 503),
  reason: hostileText,
  contentType: fc.oneof(
    hostileText,
    hostileText.map((t) => `application/json${t}`)
  ),
  body: fc.oneof(
    hostileText,
    hostileText.map((t) => JSON.stringify({ ...SpecExample.retrieveAccountResponse, id: t })),
    hostileText.map((t) => JSON.stringify({ type: `errors/${t}`, title: t, status: 404 }))
  ),
  gzip: fc.boolean()
})

/** The answer's bytes as a hostile server writes them: head in latin1 (C1 as obs-text), body in UTF-8. */
const wire = (a: Answer): string => {
  const utf8 = Buffer.from(a.body, "utf8")
  const body = a.gzip ? Zlib.gzipSync(utf8) : utf8
  const head = [
    `HTTP/1.1 ${a.status} ${a.reason}`,
    `Content-Type: ${a.contentType}`,
    ...(a.gzip ? ["Content-Encoding: gzip"] : []),
    `Content-Length: ${body.length}`,
    "Connection: close"
  ].join("\r\n")
  // Latin1 maps each char < 256 to one byte: the head carries the raw control bytes.
  return `${head}\r\n\r\n${body.toString("latin1")}`
}

describe("server bytes never reach the proxy's lines raw", () => {
  it("property: no raw control character in any violation, finding or summary line", async () => {
    let current: Answer | undefined
    const upstream = await rawUpstream(() => (current === undefined ? undefined : wire(current)))
    try {
      await fc.assert(
        fc.asyncProperty(answerArb, async (answer) => {
          current = answer
          const { report, lines } = await withProxy({ target: `${upstream.url}/api` }, (url) =>
            send(url, `/v1/accounts/acc_${encodeURIComponent(answer.reason)}`, {
              headers: { "X-API-KEY": "pp_live_ESCAPE_0123456789" }
            }).catch(() => undefined)
          )
          for (const line of [...lines, ContractTraffic.summaryLine(report)]) {
            expect(rawControl.test(line), JSON.stringify(line)).toBe(false)
          }
        }),
        { numRuns: 40 }
      )
    } finally {
      await upstream.stop()
    }
  })

  it("an answer built to rewrite the screen shows its bytes escaped (\\x1b, \\x0d, \\x9b) in the violation line", async () => {
    const hostile = {
      status: 200,
      reason: "OK",
      contentType: "text/html\u009b2J",
      body: JSON.stringify({ ...SpecExample.retrieveAccountResponse, id: "forged\r\u001b[2K\u009b1APASS\u007f" }),
      gzip: true
    }
    const upstream = await rawUpstream(() => wire(hostile))
    try {
      const { lines } = await withProxy({ target: upstream.url }, (url) => send(url, "/v1/accounts/acc_1"))
      const text = lines.join("\n")
      expect(text).toContain('got "text/html\\x9b2J"')
      // JSON.stringify escapes C0 its own way; C1 and DEL, which it leaves raw, are escaped for the terminal.
      expect(text).toContain('body.id "forged\\r\\u001b[2K\\x9b1APASS\\x7f"')
      for (const line of lines) expect(line).not.toMatch(rawControl)
      expect(lines.some((l) => l.startsWith("violation content_type:"))).toBe(true)
    } finally {
      await upstream.stop()
    }
  })

  it("a HAR's hostile media types and origins reach its summary escaped", async () => {
    const entry = (url: string, contentType: string, status: number) => ({
      request: { method: "GET", url, headers: [] },
      response: { status, headers: [{ name: "content-type", value: contentType }], content: { text: "<html>" } }
    })
    const text = JSON.stringify({
      log: {
        entries: [
          entry("https://api.postpress.ai/api/v1/accounts/a", "text/html\u001b]52;c;ZXZpbA==\u0007", 503),
          entry("https://api.postpress.ai/api/v1/accounts/b", "text/\u009b2J", 502)
        ]
      }
    })
    const report = await runPromise(ContractHar.judgeDocuments([{ file: "h.har", text }]))
    const line = ContractTraffic.summaryLine(report)
    // The media type ends at ";" (its parameters are not the type); what is shown of it is escaped.
    expect(line).toContain("502 text/\\x9b2j ×1, 503 text/html\\x1b]52 ×1")
    expect(line).not.toMatch(rawControl)
    expect(report.verdict).toBe("inconclusive")
  })
})
