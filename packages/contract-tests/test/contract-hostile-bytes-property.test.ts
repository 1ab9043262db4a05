/**
 * Bytes from a server never drive the terminal that reads the suite's human
 * report (issue 24): a hostile server's `\r`, `ESC[1A`/`ESC[2K` (rewrite
 * lines already printed), OSC 52 (write the clipboard), BEL, NUL and C1
 * controls in bodies, in header values (Node reads them as latin-1, so
 * 0x80–0x9F arrive as C1 characters) and in field names (drift) reach the
 * human report only escaped (`\x1b`). The JSON report keeps them as data
 * (JSON escapes them by its own rules).
 */
import * as Http from "node:http"
import { SpecExample } from "@postpress/schema"
import * as Effect from "effect/Effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { runContract } from "../src/Contract.js"
import { formatFailure, formatHuman, toJson } from "../src/ContractReport.js"
import { listenLoopback } from "./support/loopback.js"

const KEY = "pp_live_HOSTILE_BYTES_0123456"

// Every control character but the report's own line break: C0, DEL, C1.
// biome-ignore lint/suspicious/noControlCharactersInRegex: exactly what must never be printed raw
const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/

/** Terminal attacks and stray control characters, mixed with text. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "\r",
        "\u001b[1A",
        "\u001b[2K",
        "\u001b]52;c;ZXZpbA==\u0007",
        "\u0007",
        "\u0000",
        "\u009b31m",
        "\u0085",
        "\u007f"
      ),
      fc.string({ minLength: 0, maxLength: 4 }),
      fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code))
    ),
    { minLength: 1, maxLength: 12 }
  )
  .map((parts) => parts.join(""))

/** A header value that travels: latin-1 without C0 (Node refuses those), C1 included. */
const hostileHeader = fc
  .array(fc.integer({ min: 0x80, max: 0x9f }), { minLength: 1, maxLength: 4 })
  .map((codes) => `text/plain${String.fromCharCode(...codes)}`)

type Answer = "server_error" | "drift" | "not_json_404" | "gateway" | "wrong_type"

const startHostileServer = async (ids: ReadonlyArray<string>, text: string, header: string) => {
  const server = Http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    const path = req.url ?? ""
    const kinds: ReadonlyArray<Answer> = ["server_error", "drift", "not_json_404", "gateway", "wrong_type"]
    const kind = kinds[[...path].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 997, 0) % kinds.length]!
    const id = decodeURIComponent(path.split("/").pop() ?? "")
    switch (kind) {
      case "server_error":
        res.writeHead(500, { "content-type": "text/plain" })
        return res.end(`boom ${text}`)
      case "drift":
        res.writeHead(200, { "content-type": "application/json" })
        return res.end(JSON.stringify({ ...SpecExample.retrieveAccountResponse, id: ids[0] ?? id, [text]: text }))
      case "not_json_404":
        res.writeHead(404, { "content-type": "application/json" })
        return res.end(`{"title":"${text}`)
      case "gateway":
        res.writeHead(503, { "content-type": header })
        return res.end(text)
      case "wrong_type":
        res.writeHead(401, { "content-type": header })
        return res.end(JSON.stringify({ title: text, type: text, status: 401, detail: text, instance: text }))
    }
  })
  const { origin, stop } = await listenLoopback(server)
  return { url: `${origin}/api`, stop }
}

describe("no raw control byte from a server reaches the human report", () => {
  it("property: bodies, header values and field names with terminal attacks are shown escaped", async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileHeader, fc.integer({ min: 0, max: 1000 }), async (text, header, seed) => {
        const ids = ["acc_h1", `acc_${text}`]
        const server = await startHostileServer(ids, text, header)
        try {
          const report = await Effect.runPromise(
            runContract({
              baseUrl: server.url,
              apiKey: KEY,
              accountIds: ids,
              seed,
              runs: 3,
              maxAttempts: 1,
              timeout: "60 seconds",
              failOnDrift: true
            })
          )
          const human = formatHuman(report, { perCheck: 100 })
          expect(human).not.toMatch(rawControl)
          for (const check of report.checks) {
            for (const [i, failure] of check.failures.entries()) {
              expect(formatFailure(failure, i + 1)).not.toMatch(rawControl)
            }
          }
          // Something hostile was there to escape, and the JSON report keeps it as data.
          expect(report.verdict).toBe("fail")
          if (rawControl.test(text)) {
            expect(human).toMatch(/\\x[0-9a-f]{2}/)
            expect(JSON.stringify(JSON.parse(toJson(report)))).toMatch(/\\u00[0-9a-f]{2}|[\u007f-\u009f]/)
          }
        } finally {
          await server.stop()
        }
      }),
      { numRuns: 25 }
    )
  }, 180_000)
})
