/**
 * `Redaction.scrub` (part of `pnpm bench`): the proxy and the HAR reader mask
 * every line and body they write, so the masking must stay cheap although it
 * looks for every echoed form (raw, JSON, percent-encoded and nested, base64).
 *
 * - `redaction-clean-vs-replace`: MB/s of `scrub` over realistic proxy output
 *   that holds no key (the usual case), side by side with a bare
 *   `replaceAll(key, "***")`, which finds only the raw key.
 * - `redaction-echoes-vs-replace`: the same over output that echoes the key in
 *   every form a gateway writes it (the peer still finds only the raw form).
 * - `redaction-1000-keys`: µs per line with 1,000 remembered keys (the
 *   proxy's bound) after they are compiled, and the compile time in the note.
 *
 * `--smoke`: one short round each.
 */
import { Redaction, SpecExample } from "@postpress/schema"
import { type BenchEntry, type BenchOptions, entry, sized } from "../../../scripts/bench-entry.js"

const KEY = 'pp_live_Zq8/RmT4+vWx2="NpL7k\\Bc5H'

const account = JSON.stringify(SpecExample.retrieveAccountResponse)

/** Lines as the proxy writes them: violation lines, bodies, a HAR entry's text. */
const cleanLines: ReadonlyArray<string> = [
  `GET /v1/accounts/acc_01HXYZ 200: body.id is missing; body ${account.slice(0, 300)}`,
  account,
  JSON.stringify({
    request: { url: "https://api.example/v1/accounts/acc_1", headers: [{ name: "x-api-key", value: "***" }] },
    response: { content: { text: account } }
  }),
  `GET /v1/accounts/%2561%2563%2563 404: {"title":"Not Found","type":"errors/resource_not_found","status":404}`
]

/** The same lines, each echoing the key in one of the forms gateways write it. */
const echoingLines: ReadonlyArray<string> = [
  `${cleanLines[0]} x-echo: ${KEY}`,
  JSON.stringify({ upstream: JSON.stringify({ detail: `bad key ${KEY}` }) }),
  `authorization: Basic ${Buffer.from(`user:${KEY}`).toString("base64")} ${cleanLines[2]}`,
  `${cleanLines[3]} detail=${encodeURIComponent(encodeURIComponent(KEY))}`
]

/** MB/s of `mask` over `lines`, best of `rounds` rounds of `repeat` passes. */
const throughput = (lines: ReadonlyArray<string>, mask: (text: string) => string, rounds: number, repeat: number) => {
  const bytes = lines.reduce((sum, line) => sum + line.length, 0) * repeat
  let best = 0
  let sink = 0
  for (let round = 0; round < rounds; round++) {
    const started = performance.now()
    for (let i = 0; i < repeat; i++) for (const line of lines) sink += mask(line).length
    best = Math.max(best, bytes / 1e6 / ((performance.now() - started) / 1000))
  }
  if (sink === 0) throw new Error("bench: nothing was masked or kept")
  return best
}

/** The entries this module writes. */
export const entries: ReadonlyArray<string> = [
  "redaction-clean-vs-replace",
  "redaction-echoes-vs-replace",
  "redaction-1000-keys"
]

export default async (options: BenchOptions): Promise<ReadonlyArray<BenchEntry>> => {
  const rounds = sized(options, 5, 1)
  const repeat = sized(options, 2_000, 20)
  const scrub = (text: string) => Redaction.scrub(text, [KEY])
  const replace = (text: string) => text.replaceAll(KEY, Redaction.mask)
  // Sanity: ours masks every echo, and leaves clean lines as they are.
  for (const line of echoingLines) if (Redaction.echoes(scrub(line), KEY)) throw new Error(`bench: not masked: ${line}`)
  for (const line of cleanLines) if (scrub(line) !== line) throw new Error(`bench: changed a clean line: ${line}`)
  const clean = {
    ours: throughput(cleanLines, scrub, rounds, repeat),
    peer: throughput(cleanLines, replace, rounds, repeat)
  }
  const echoing = {
    ours: throughput(echoingLines, scrub, rounds, repeat),
    peer: throughput(echoingLines, replace, rounds, repeat)
  }

  const keys = Array.from({ length: 1_000 }, (_, i) => `pp_live_${i.toString(36).padStart(3, "0")}_${KEY.slice(8)}`)
  const compileStarted = performance.now()
  Redaction.scrub(cleanLines[0]!, keys)
  const compileMs = performance.now() - compileStarted
  const manyRepeat = sized(options, 20, 2)
  const perLineMicros = microsPerLine(cleanLines, keys, manyRepeat)

  const note = `${cleanLines.length} proxy-like lines, best of ${rounds} rounds of ${repeat}; the peer finds only the raw key`
  return [
    entry("redaction-clean-vs-replace", clean.ours, clean.peer, "MB/s", { note: `no key in the text; ${note}` }),
    entry("redaction-echoes-vs-replace", echoing.ours, echoing.peer, "MB/s", {
      note: `each line echoes the key (raw, JSON inside JSON, Basic base64, percent-encoded twice); ${note}`
    }),
    {
      name: "redaction-1000-keys",
      ours: perLineMicros,
      peer: null,
      unit: "µs/line",
      ratio: null,
      note: `1,000 keys sharing a prefix, compiled once in ${compileMs.toFixed(0)} ms (groups of 16), then ${manyRepeat} passes`
    }
  ]
}

/** Microseconds `scrub` takes per line with `keys`, over `repeat` passes. */
const microsPerLine = (lines: ReadonlyArray<string>, keys: ReadonlyArray<string>, repeat: number): number => {
  const started = performance.now()
  for (let i = 0; i < repeat; i++) for (const line of lines) Redaction.scrub(line, keys)
  return ((performance.now() - started) * 1000) / (repeat * lines.length)
}
