/**
 * What every `postpress` command shares, run in-process: help for people
 * (committed snapshots in `help/`, line and width limits, every declared flag
 * shown), `--version`, one-line usage errors with one prefix and the
 * documented exit code, report paths checked before a run, and the duration
 * and size grammars. The bundle itself is spawned by
 * integration/program-built.test.ts (`--help` and `--version` from the built
 * file).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { type AddressInfo, createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as BaseUrl from "@postpress/schema/BaseUrl"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import { afterAll, describe, expect, it } from "vitest"
import { helpText } from "../src/Cli.js"
import * as DurationFlag from "../src/internal/duration.js"
import { ExitCode } from "../src/internal/exitCode.js"
import { version } from "../src/internal/version.js"
import { runInProcess } from "./support/inProcess.js"
import { oneLine } from "./support/program.js"

const commands: ReadonlyArray<{ readonly name: string; readonly path: ReadonlyArray<string> }> = [
  [],
  ["accounts"],
  ["accounts", "get"],
  ["contract"],
  ["contract", "proxy"],
  ["contract", "har"],
  ["mock"],
  ["schema"],
  ["schema", "diff"]
].map((path) => ({ name: ["postpress", ...path].join(" "), path }))

const FILLER = [
  "A user-defined piece of text.",
  "This setting is optional.",
  "A true or false value.",
  "An integer.",
  "This option can be set from environment variables.",
  "This option may be repeated"
]

describe("help", () => {
  it.each(commands)("$name --help (and --help-all) match their committed snapshots", async ({ path }) => {
    const name = path.length === 0 ? "postpress" : `postpress-${path.join("-")}`
    await expect(`${helpText(path)}\n`).toMatchFileSnapshot(`help/${name}.txt`)
    if (path.length > 0) await expect(`${helpText(path, "all")}\n`).toMatchFileSnapshot(`help/${name}.all.txt`)
  })

  it.each(commands)("$name --help: short, at most 100 columns, no parser filler, full command path", ({ path }) => {
    const text = helpText(path)
    const lines = text.split("\n")
    expect(lines.length).toBeLessThanOrEqual(path.length === 0 ? 30 : 60)
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100)
    for (const filler of FILLER) expect(text).not.toContain(filler)
    for (const builtIn of ["--wizard", "--log-level", "--completions"]) expect(text).not.toContain(builtIn)
    expect(lines[0]).toMatch(path.length === 0 ? /^postpress \d/ : new RegExp(`^Usage: postpress ${path.join(" ")} `))
    expect(text).toContain("Exit codes:")
    expect(text).toMatch(/Examples:\n( {2}.*\n?)+$/)
  })

  it("shows every declared flag of a command once, optional ones as optional", () => {
    const contract = helpText(["contract"], "all")
    for (const flag of ["--base-url", "--account-id", "--checks", "--seed", "--max-body-size", "--json", "--html"]) {
      expect(contract.match(new RegExp(`^ {2}${flag}\\b`, "gm"))).toHaveLength(1)
    }
    // The suite's flags are not repeated in front of proxy and har.
    expect(contract).not.toMatch(/^ {2}--target/m)
    expect(contract).toMatch(/^Usage: postpress contract \[options\]$/m)
    const proxy = helpText(["contract", "proxy"])
    expect(proxy).toMatch(/^Usage: postpress contract proxy --target URL \[options\]$/m)
    expect(proxy).toMatch(/--target URL +[^-]*\(required\)/)
    expect(helpText(["accounts", "get"])).toMatch(/^Usage: postpress accounts get \[options\] <id>$/m)
    expect(helpText(["accounts", "get"])).toContain("Retrieve one account by id")
  })

  it("--help and -h print the help of the command they follow, on stdout, exit 0; --help-all all of it", async () => {
    const [root, short, proxy, afterFlags, all] = await Promise.all([
      runInProcess(["--help"]),
      runInProcess(["-h"]),
      runInProcess(["contract", "proxy", "--help"]),
      runInProcess(["contract", "--seed", "1", "--help"]),
      runInProcess(["contract", "--help-all"])
    ])
    for (const result of [root, short, proxy, afterFlags, all]) expect(result).toMatchObject({ code: 0, stderr: "" })
    expect(all.stdout).toBe(`${helpText(["contract"], "all")}\n`)
    expect(root.stdout).toBe(`${helpText([])}\n`)
    expect(short.stdout).toBe(root.stdout)
    expect(proxy.stdout).toBe(`${helpText(["contract", "proxy"])}\n`)
    expect(afterFlags.stdout).toBe(`${helpText(["contract"])}\n`)
  })

  it("--version prints the package version", async () => {
    for (const args of [["--version"], ["contract", "--version"], ["mock", "--version"]]) {
      const result = await runInProcess(args)
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" })
    }
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
    expect(version).toBe(pkg.version)
  })
})

describe("usage errors: one line, one prefix, exit 2, nothing on stdout", () => {
  const cases: ReadonlyArray<readonly [args: ReadonlyArray<string>, line: string | RegExp]> = [
    [[], "postpress: missing command (accounts get, contract, mock, schema diff); see postpress --help"],
    [["bogus"], /^postpress: unknown command bogus \(accounts get, contract, mock, schema diff/],
    [
      ["contract", "--no-such-flag"],
      "postpress contract: unknown option --no-such-flag (see postpress contract --help)"
    ],
    [["contract", "--seed", "abc"], 'postpress contract: --seed: expected a whole number, got "abc"'],
    [["contract", "--seed=abc"], 'postpress contract: --seed: expected a whole number, got "abc"'],
    [["contract", "--runs", "1.5"], 'postpress contract: --runs: expected a whole number, got "1.5"'],
    [
      ["contract", "--checks", "bogus"],
      "postpress contract: --checks: unknown check bogus; groups: spec, security; the checks are listed by postpress contract --help"
    ],
    [
      ["contract", "--exclude-checks", "spec,nope"],
      /^postpress contract: --exclude-checks: unknown check nope; groups: /
    ],
    [["contract", "--timeout", "soon"], /^postpress contract: --timeout: expected a positive duration like 500ms/],
    [
      ["contract", "--max-body-size", "12XB"],
      /^postpress contract: --max-body-size: expected a size such as 16MiB, 512KiB or 1000000 \(bytes\), got "12XB"$/
    ],
    [
      ["contract", "--max-body-size", "0"],
      'postpress contract: --max-body-size: expected a size of at least 1 byte, got "0"'
    ],
    [
      ["contract", "har", "--max-body-size", "-1", "x.har"],
      /^postpress contract har: --max-body-size: expected a size/
    ],
    [["contract", "--base-url", "http://127.0.0.1:9"], /^postpress contract: POSTPRESS_API_KEY must be set/],
    // THE base-URL rule (BaseUrl), its message prefixed with the flag, before the key is even looked for.
    [
      ["contract", "--base-url", "http://127.0.0.1:9/api?"],
      "postpress contract: --base-url: must not have a query (?)"
    ],
    [
      ["contract", "--base-url", "http://127.0.0.1:9/api#"],
      "postpress contract: --base-url: must not have a fragment (#)"
    ],
    [
      ["contract", "--base-url=ftp://x/api"],
      "postpress contract: --base-url: expected an http: or https: URL, got ftp:"
    ],
    [
      ["contract", "--checks", "osc\u001b]52;c;eA==\u0007,spec,\u0085bell"],
      "postpress contract: --checks: unknown checks osc\\x1b]52;c;eA==\\x07, \\x85bell; groups: spec, security; the checks are listed by postpress contract --help"
    ],
    [["contract", "--wizard"], "postpress contract: unknown option --wizard (see postpress contract --help)"],
    [["--log-level", "debug", "mock"], "postpress: unknown option --log-level (see postpress --help)"],
    [["--completions", "bash"], "postpress: unknown option --completions (see postpress --help)"],
    [["contract", "proxy"], "postpress contract proxy: missing --target (see postpress contract proxy --help)"],
    [["contract", "proxy", "--target"], /^postpress contract proxy: --target: expected a value/],
    [
      ["contract", "proxy", "--target", "http://127.0.0.1:9", "--port", "x"],
      'postpress contract proxy: --port: expected a whole number, got "x"'
    ],
    [["contract", "har"], "postpress contract har: missing FILE (see postpress contract har --help)"],
    [
      ["mock", "--port", "70000"],
      /^postpress mock: --port: expected a port, an integer from 0 to 65535 \(0: a free one\), got 70000$/
    ],
    [["mock", "--fault-rate", "lots"], 'postpress mock: --fault-rate: expected a number, got "lots"'],
    [["accounts"], "postpress accounts: missing command (get); see postpress accounts --help"],
    // The parser's refusals, explained from the command's description (never from the parser's words).
    [["--bogus"], "postpress: unknown option --bogus (see postpress --help)"],
    [["mock", "--nope", "1"], "postpress mock: unknown option --nope (see postpress mock --help)"],
    [["contract", "--seed"], "postpress contract: --seed: expected a value (see postpress contract --help)"],
    [["contract", "extra"], "postpress contract: invalid arguments: extra (see postpress contract --help)"],
    [
      ["accounts", "get", "acc_1", "acc_2"],
      "postpress accounts get: unexpected argument acc_2 (see postpress accounts get --help)"
    ],
    [["accounts", "get"], "postpress accounts get: missing id (see postpress accounts get --help)"]
  ]

  it.each(cases)("%j", async (args, expected) => {
    const result = await runInProcess(args)
    expect(result.code).toBe(ExitCode.usage)
    expect(result.stdout).toBe("")
    const line = oneLine(result.stderr)
    if (typeof expected === "string") expect(line).toBe(expected)
    else expect(line).toMatch(expected)
    expect(line).not.toMatch(/UsageError|"_tag"|\{/)
  })
})

describe("--base-url and --checks: one rule, one short line", () => {
  it("POSTPRESS_BASE_URL is checked by the same rule, the message naming the variable", async () => {
    for (const [url, defect] of [
      ["http://127.0.0.1:9/api?", "must not have a query (?)"],
      ["http://127.0.0.1:9/api#", "must not have a fragment (#)"],
      ["http://user:secret@127.0.0.1:9/api", "must not contain credentials (user:password@)"]
    ] as const) {
      const result = await runInProcess(["contract"], { POSTPRESS_BASE_URL: url, POSTPRESS_API_KEY: "pp_live_x" })
      expect(result.code).toBe(ExitCode.usage)
      expect(oneLine(result.stderr)).toBe(`postpress contract: POSTPRESS_BASE_URL: ${defect}`)
      expect(BaseUrl.defect(url)).toBe(defect)
    }
  })

  it("--checks with many unknown or long names stays one line of at most 200 characters", async () => {
    const names = [...Array.from({ length: 30 }, (_, i) => `bogus_${i}`), "x".repeat(5000)]
    for (const list of [names.join(","), "x".repeat(5000), `spec,${"y".repeat(300)},z`]) {
      const result = await runInProcess(["contract", "--checks", list])
      expect(result.code).toBe(ExitCode.usage)
      const line = oneLine(result.stderr)
      expect(line.length).toBeLessThanOrEqual(200)
      expect(line).toMatch(
        /^postpress contract: --checks: unknown checks? .*; groups: spec, security; the checks are listed by postpress contract --help$/
      )
    }
  })
})

describe("bad files and busy ports: one line, exit 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "postpress-bad-input-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("a file that is not a HAR is summarised in at most 200 characters", async () => {
    const files = {
      "not-json.har": "{ nope",
      "other.json": JSON.stringify({ name: "a package.json, say", version: "1.0.0" }),
      "array.json": "[]",
      "bad-entry.har": JSON.stringify({ log: { version: "1.2", entries: [{ request: 5, response: {} }] } })
    }
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text)
      const result = await runInProcess(["contract", "har", join(dir, name)])
      expect(result.code, name).toBe(ExitCode.usage)
      const line = oneLine(result.stderr)
      expect(line).toMatch(new RegExp(`^postpress contract har: .*${name}: not a HAR`))
      expect(line.length, line).toBeLessThanOrEqual(200)
      expect(line).not.toContain("readonly")
    }
  })

  it("a port in use is exit 2 for mock and contract proxy alike", async () => {
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve))
    const port = String((busy.address() as AddressInfo).port)
    try {
      const [mock, proxy] = await Promise.all([
        runInProcess(["mock", "--port", port]),
        runInProcess(["contract", "proxy", "--target", "http://127.0.0.1:9", "--port", port])
      ])
      expect(mock.code).toBe(ExitCode.usage)
      expect(oneLine(mock.stderr)).toMatch(new RegExp(`^postpress mock: .*${port}`))
      expect(proxy.code).toBe(ExitCode.usage)
      expect(oneLine(proxy.stderr)).toMatch(new RegExp(`^postpress contract proxy: .*${port}`))
    } finally {
      await new Promise((resolve) => busy.close(resolve))
    }
  })
})

describe("grammars", () => {
  const ms = (text: string) => Option.map(DurationFlag.parse(text), Duration.toMillis)

  it("durations: what users type and Effect's spelling", () => {
    expect(ms("500ms")).toEqual(Option.some(500))
    expect(ms("2s")).toEqual(Option.some(2000))
    expect(ms("1.5s")).toEqual(Option.some(1500))
    expect(ms("1m")).toEqual(Option.some(60_000))
    expect(ms("1h")).toEqual(Option.some(3_600_000))
    expect(ms(" 250 ms ")).toEqual(Option.some(250))
    expect(ms("250 millis")).toEqual(Option.some(250))
    expect(ms("0ms")).toEqual(Option.some(0))
    for (const text of ["", "5", "soon", "-1s", "1d", "s", "1e3ms", "Infinity", "1 ms ms"]) {
      expect(ms(text)).toEqual(Option.none())
    }
  })
})
