/**
 * `postpress schema diff OLD NEW`, run in-process: text by default, `--json`
 * (valid against the published diff.schema.json; its counterexample
 * accepted by NEW and rejected by OLD, checked here with ajv), `--markdown`;
 * exit 0 when nothing breaks, 1 when something does (narrowing too with
 * `--fail-on narrowing`), 2 with ONE line on stderr and nothing on stdout
 * for every usage error; no control character from a document reaches the
 * terminal in any output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import { afterAll, describe, expect, it } from "vitest"
import { runInProcess } from "./support/inProcess.js"
import { oneLine } from "./support/program.js"

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

const root = join(import.meta.dirname, "..", "..", "..")
const fixtures = join(root, "packages", "schema-diff", "test", "fixtures")
const fixture = (name: string, side: "old" | "new") => join(fixtures, name, `${side}.json`)
const dir = mkdtempSync(join(tmpdir(), "postpress-schema-diff-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const validator = (schema: object) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  return ajv.compile(schema)
}

const readJson = (path: string): object => JSON.parse(readFileSync(path, "utf8")) as object

// biome-ignore lint/suspicious/noControlCharactersInRegex: what must never reach a terminal
const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/

describe("postpress schema diff", () => {
  it("a 15th account type: exit 1, the change on one line, its counterexample and OLD's error", async () => {
    const result = await runInProcess([
      "schema",
      "diff",
      fixture("variant-added", "old"),
      fixture("variant-added", "new")
    ])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe("")
    const lines = result.stdout.split("\n")
    expect(lines[0]).toBe("Schema diff: breaking (1 breaking, 0 narrowing, 0 safe)")
    expect(lines).toContain("breaking  variant-added  $[type=LINKEDIN]: variant type=LINKEDIN added")
    expect(result.stdout).toMatch(/OLD says: \/type must be equal to one of the allowed values \(MAIL, SLACK\)/)
  })

  it("--json: the DiffResult, valid against diff.schema.json, its counterexample checked by ajv", async () => {
    const [oldPath, newPath] = [
      fixture("enum-value-imap-encryption", "old"),
      fixture("enum-value-imap-encryption", "new")
    ]
    const result = await runInProcess(["schema", "diff", "--json", oldPath, newPath])
    expect(result).toMatchObject({ code: 1, stderr: "" })
    const json = JSON.parse(result.stdout) as {
      verdict: string
      changes: Array<{ rule: string; counterexample: { value: unknown } }>
    }
    const schema = validator(readJson(join(root, "packages", "schema-diff", "diff.schema.json")))
    expect(schema(json), JSON.stringify(schema.errors)).toBe(true)
    expect(json.verdict).toBe("breaking")
    const [change] = json.changes
    expect(change?.rule).toBe("enum-value-added")
    expect(validator(readJson(newPath))(change?.counterexample.value)).toBe(true)
    expect(validator(readJson(oldPath))(change?.counterexample.value)).toBe(false)
  })

  it("--markdown: a pull-request comment", async () => {
    const result = await runInProcess([
      "schema",
      "diff",
      "--markdown",
      fixture("min-length", "old"),
      fixture("min-length", "new")
    ])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^### Schema diff: breaking\n/)
    expect(result.stdout).toContain("| breaking | `min-length-widened` | `$[type=MAIL].id` |")
    expect(result.stdout).toContain("<details>")
  })

  it("nothing breaks: exit 0, unchanged or safe or narrowing; --fail-on narrowing fails on narrowing", async () => {
    const same = await runInProcess(["schema", "diff", fixture("min-length", "old"), fixture("min-length", "old")])
    expect(same).toMatchObject({ code: 0, stderr: "" })
    expect(same.stdout).toMatch(/^Schema diff: unchanged/)
    const safe = await runInProcess([
      "schema",
      "diff",
      fixture("property-optional-lenient", "old"),
      fixture("property-optional-lenient", "new")
    ])
    expect(safe.code).toBe(0)
    // min-length backwards: NEW requires longer ids, readers are fine.
    const narrowing = [fixture("min-length", "new"), fixture("min-length", "old")]
    expect((await runInProcess(["schema", "diff", ...narrowing])).code).toBe(0)
    expect((await runInProcess(["schema", "diff", "--fail-on", "narrowing", ...narrowing])).code).toBe(1)
    expect((await runInProcess(["schema", "diff", "--fail-on", "breaking", ...narrowing])).code).toBe(0)
  })

  it("the same seed, the same counterexample; another seed is accepted", async () => {
    const args = [
      "schema",
      "diff",
      "--json",
      "--seed",
      "7",
      "--runs",
      "50",
      fixture("variant-added", "old"),
      fixture("variant-added", "new")
    ]
    const [a, b] = await Promise.all([runInProcess(args), runInProcess(args)])
    expect(a.stdout).toBe(b.stdout)
    expect(JSON.parse(a.stdout).search).toEqual({ seed: 7, runs: 50 })
  })

  it("no control character from a document reaches the terminal, whatever the output", async () => {
    const old = readJson(fixture("enum-value-status", "old")) as { $defs: Record<string, { enum: Array<string> }> }
    const next = structuredClone(old)
    next.$defs.AccountSourceServiceStatus!.enum.push("PAUSED\u001b]52;c;aGk=\u0007\u009b2J")
    const [oldPath, newPath] = [join(dir, "old.json"), join(dir, "new.json")]
    writeFileSync(oldPath, JSON.stringify(old))
    writeFileSync(newPath, JSON.stringify(next))
    for (const output of [[], ["--json"], ["--markdown"]]) {
      const result = await runInProcess(["schema", "diff", ...output, oldPath, newPath])
      expect(result.code).toBe(1)
      expect(rawControl.test(result.stdout), output.join(" ")).toBe(false)
    }
  })
})

describe("postpress schema diff: usage errors are one line, exit 2, nothing on stdout", () => {
  const good = fixture("min-length", "old")
  const cases: ReadonlyArray<readonly [args: ReadonlyArray<string>, line: string | RegExp]> = [
    [["schema"], "postpress schema: missing command (diff); see postpress schema --help"],
    [["schema", "diff", good], /^postpress schema diff: missing NEW/],
    [
      ["schema", "diff", join(dir, "missing.json"), good],
      `postpress schema diff: OLD ${join(dir, "missing.json")}: no such file`
    ],
    [
      ["schema", "diff", good, join(root, "README.md")],
      new RegExp(`^postpress schema diff: NEW ${join(root, "README.md")}: not JSON \\(`)
    ],
    [
      ["schema", "diff", join(root, "packages", "schema", "openapi.json"), good],
      /^postpress schema diff: NEW .*: is a JSON Schema and OLD an OpenAPI document: compare two of a kind$/
    ],
    [
      ["schema", "diff", "--json", "--markdown", good, good],
      "postpress schema diff: --json and --markdown: choose one output"
    ],
    [
      ["schema", "diff", "--runs", "0", good, good],
      "postpress schema diff: --runs: expected an integer from 1 to 100000, got 0"
    ],
    [["schema", "diff", "--seed", "x", good, good], 'postpress schema diff: --seed: expected a whole number, got "x"'],
    [
      ["schema", "diff", "--fail-on", "safe", good, good],
      'postpress schema diff: --fail-on: expected breaking or narrowing, got "safe"'
    ]
  ]

  it.each(cases)("%j", async (args, line) => {
    const result = await runInProcess(args)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    if (typeof line === "string") expect(oneLine(result.stderr)).toBe(line)
    else expect(oneLine(result.stderr)).toMatch(line)
  })
})
