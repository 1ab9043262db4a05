/**
 * The key in the forms servers and gateways echo it, end to end (issue 24):
 * a loopback server that echoes whatever key it is given base64'd in a
 * header (`Basic base64(gateway:key)`) and percent-encoded twice in its error
 * bodies. The suite, the validating proxy (its human lines, JSON, JUnit,
 * HTML and its own HAR) and the HAR reader (on a recording that holds the
 * key, as a browser's does) all fail `key_not_reflected`, and none of their
 * outputs holds the key in any form (the independent oracle of the schema's
 * tests: raw, JSON, percent-encoded up to three times, base64 cores).
 */
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { SpecExample } from "@postpress/schema"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { base64, leftIn, percent } from "../../schema/test/utils/keyForms.js"
import { reportOf, events as suiteEvents } from "../src/Contract.js"
import * as ContractHar from "../src/ContractHar.js"
import * as ContractHtml from "../src/ContractHtml.js"
import { toJunitXml } from "../src/ContractJunit.js"
import * as ContractProxy from "../src/ContractProxy.js"
import { type ContractReport, failedChecks, formatHuman, toJson } from "../src/ContractReport.js"
import { layerNode } from "../src/ContractTransport.js"
import { lineOf, send } from "./proxy-support.js"
import { listenLoopback } from "./support/loopback.js"

/** Runs an effect with the Node file system (the proxy and HAR reader read and write through it). */
const runPromise = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer))

/** A key with every character the encodings treat differently: `/ + = " \`. */
const KEY = 'pp_live_k/y+Z=q"w\\e_7Rm2xT9'
const ID = "acc_echo_1"

/** What a gateway in front of the API echoes of the key it was given. */
const echoedHeader = (key: string) => ({ "x-debug-auth": `Basic ${base64(`gateway:${key}`)}` })
const envelope = (status: number, type: string, key: string | undefined) =>
  JSON.stringify({
    title: status === 401 ? "Unauthorized" : "Not Found",
    type,
    status,
    ...(key === undefined ? {} : { detail: `key ${percent(key, 2)} was presented` })
  })

/** A conformant API but for its echoes: the account exists with the id asked for. */
const startEchoServer = async () => {
  const server = Http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    req.resume()
    const header = req.headers["x-api-key"]
    const key = typeof header === "string" ? header : undefined
    const answer = (status: number, body: string) => {
      res.writeHead(status, {
        "content-type": status === 200 ? "application/json" : "application/problem+json",
        ...(key === undefined ? {} : echoedHeader(key))
      })
      res.end(body)
    }
    if (key === undefined) return answer(401, envelope(401, "errors/missing_credentials", key))
    if (key !== KEY) return answer(401, envelope(401, "errors/invalid_credentials", key))
    const segment = (req.url ?? "").split("?")[0]!.split("/").pop() ?? ""
    let id: string
    try {
      id = decodeURIComponent(segment)
    } catch {
      return answer(400, JSON.stringify({ title: "Bad Request", type: "errors/invalid_parameters", status: 400 }))
    }
    if (id === ID) return answer(200, JSON.stringify({ ...SpecExample.retrieveAccountResponse, id }))
    return answer(404, envelope(404, "errors/resource_not_found", key))
  })
  return listenLoopback(server)
}

/** HTML and XML show `"` and `&` as entities: the oracle reads the text a person would read. */
const unescapeMarkup = (text: string): string =>
  text.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(quot|amp|lt|gt|apos));/gi, (_, dec, hex, name: string | undefined) =>
    dec !== undefined
      ? String.fromCodePoint(Number(dec))
      : hex !== undefined
        ? String.fromCodePoint(Number.parseInt(hex, 16))
        : ({ quot: '"', amp: "&", lt: "<", gt: ">", apos: "'" } as Record<string, string>)[name!.toLowerCase()]!
  )

/** Every output holds no form of the key: `[label, text]` → the labels that leak, with the form found. */
const leaks = (outputs: ReadonlyArray<readonly [string, string]>): ReadonlyArray<string> =>
  outputs.flatMap(([label, text]) => {
    const found = leftIn(text, KEY) ?? leftIn(unescapeMarkup(text), KEY)
    return found === undefined ? [] : [`${label}: ${found}`]
  })

const reportOutputs = (report: ContractReport): ReadonlyArray<readonly [string, string]> => [
  ["human", formatHuman(report, { perCheck: 100 })],
  ["json", toJson(report)],
  ["junit", toJunitXml(report)],
  ["html", ContractHtml.render(report)]
]

const keyNotReflected = (report: ContractReport) => report.checks.find((c) => c.name === "key_not_reflected")!

let origin: { readonly origin: string; readonly stop: () => Promise<void> }
const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "key-forms-test-"))

beforeAll(async () => {
  origin = await startEchoServer()
})
afterAll(async () => {
  await origin?.stop()
  Fs.rmSync(tmp, { recursive: true, force: true })
})

describe("the echo server echoes the key as the issue describes (the test's own control)", () => {
  it("base64 in a header and percent-encoded twice in the body, never raw", async () => {
    const res = await send(origin.origin, "/v1/accounts/unknown", { headers: { "X-API-KEY": KEY } })
    expect(res.status).toBe(404)
    const body = res.body.toString("utf8")
    expect(body).toContain(percent(KEY, 2))
    expect(body).not.toContain(KEY)
    const headers = res.rawHeaders.join("\n")
    expect(headers).toContain(base64(`gateway:${KEY}`))
    expect(headers).not.toContain(KEY)
  })
})

describe("the suite", () => {
  it("fails key_not_reflected and no report, nor an event (progress, violation lines), holds the key in any form", async () => {
    const events = await Effect.runPromise(
      suiteEvents({
        baseUrl: origin.origin,
        apiKey: KEY,
        accountIds: [ID],
        seed: 11,
        runs: 5,
        concurrency: 2
      }).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray), Effect.provide(layerNode))
    )
    const report = await Effect.runPromise(reportOf(Stream.fromIterable(events)))
    expect(events.some((event) => event._tag === "Violation" && event.check === "key_not_reflected")).toBe(true)
    const progress = events.filter((event) => event._tag !== "Finished")
    expect(failedChecks(report)).toContain("key_not_reflected")
    const check = keyNotReflected(report)
    expect(check.failures.map((f) => f.message).join("\n")).toMatch(/header x-debug-auth|the body/)
    expect(leaks([...reportOutputs(report), ["progress", JSON.stringify(progress)]])).toEqual([])
  })
})

describe("the validating proxy", () => {
  it("fails key_not_reflected; its lines, JSON, JUnit, HTML and HAR hold no form of the key", async () => {
    const files = {
      json: Path.join(tmp, "proxy.json"),
      junit: Path.join(tmp, "proxy.xml"),
      html: Path.join(tmp, "proxy.html"),
      har: Path.join(tmp, "proxy.har")
    }
    const lines: Array<string> = []
    const listening = Effect.runSync(Deferred.make<string>())
    const running = runPromise(
      ContractProxy.run(
        { target: origin.origin, maxRequests: 3, ...files },
        {
          onEvent: (event) =>
            event._tag === "Listening"
              ? Deferred.succeed(listening, event.url)
              : Effect.sync(() => Option.map(lineOf(event), (line) => lines.push(line)))
        }
      )
    )
    const url = await runPromise(Deferred.await(listening))
    const headers = { "X-API-KEY": KEY }
    const answers = [
      await send(url, `/v1/accounts/${ID}`, { headers }),
      await send(url, "/v1/accounts/acc_missing", { headers }),
      await send(url, "/v1/accounts/acc_missing_2", { headers })
    ]
    const report = await running
    // Transparent: the client gets what the server sent (the leak is the server's), the outputs do not.
    expect(answers.map((a) => a.status)).toEqual([200, 404, 404])
    expect(answers[1]!.body.toString("utf8")).toContain(percent(KEY, 2))
    expect(report.traffic.judged).toBe(3)
    expect(failedChecks(report)).toContain("key_not_reflected")
    expect(lines.some((line) => line.includes("key_not_reflected"))).toBe(true)
    const written = Object.entries(files).map(
      ([label, file]) => [`${label} file`, Fs.readFileSync(file, "utf8")] as const
    )
    expect(leaks([...reportOutputs(report), ...written, ["violation lines", lines.join("\n")]])).toEqual([])
    // The HAR is still a HAR with every exchange, the echoes masked where they were.
    const har = JSON.parse(Fs.readFileSync(files.har, "utf8"))
    expect(har.log.entries).toHaveLength(3)
    const echoed = har.log.entries[1].response.headers.find((h: { name: string }) => h.name === "x-debug-auth")
    expect(echoed.value).toBe("Basic ***")
  })
})

describe("the HAR reader", () => {
  /** A recording as a browser writes it: the key in the request, the echoes in the responses, text as received. */
  const record = async (paths: ReadonlyArray<string>): Promise<string> => {
    const entries = []
    for (const path of paths) {
      const res = await send(origin.origin, path, { headers: { "X-API-KEY": KEY } })
      const pairs = []
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        pairs.push({ name: res.rawHeaders[i]!, value: res.rawHeaders[i + 1]! })
      }
      entries.push({
        startedDateTime: new Date().toISOString(),
        time: 1,
        request: {
          method: "GET",
          url: `${origin.origin}${path}`,
          httpVersion: "HTTP/1.1",
          cookies: [],
          headers: [{ name: "X-API-KEY", value: KEY }],
          queryString: [],
          headersSize: -1,
          bodySize: 0
        },
        response: {
          status: res.status,
          statusText: res.statusMessage,
          httpVersion: "HTTP/1.1",
          cookies: [],
          headers: pairs,
          content: { size: res.body.length, mimeType: "application/json", text: res.body.toString("utf8") },
          redirectURL: "",
          headersSize: -1,
          bodySize: res.body.length
        },
        cache: {},
        timings: { send: 0, wait: 1, receive: 0 }
      })
    }
    return JSON.stringify({ log: { version: "1.2", creator: { name: "test", version: "1" }, entries } })
  }

  it("fails key_not_reflected on a recording that holds the key; its reports hold no form of it", async () => {
    const file = Path.join(tmp, "browser.har")
    Fs.writeFileSync(file, await record([`/v1/accounts/${ID}`, "/v1/accounts/acc_missing"]))
    const files = {
      json: Path.join(tmp, "har.json"),
      junit: Path.join(tmp, "har.xml"),
      html: Path.join(tmp, "har.html")
    }
    const report = await runPromise(ContractHar.run({ files: [file], ...files }))
    expect(report.traffic.judged).toBe(2)
    expect(failedChecks(report)).toContain("key_not_reflected")
    const written = Object.entries(files).map(
      ([label, path]) => [`${label} file`, Fs.readFileSync(path, "utf8")] as const
    )
    expect(leaks([...reportOutputs(report), ...written])).toEqual([])
  })
})
