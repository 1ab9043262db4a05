/**
 * The docs test (`vitest --project docs`, part of `pnpm test`): every
 * TypeScript snippet of the READMEs and every `@example` compiles against the
 * packages' public exports, and every runnable README snippet runs against a
 * loopback mock and prints exactly what its `// prints:` comments say (a
 * block that prints without saying so fails, so does one that builds an
 * Effect program and never runs it). A README and the code can no longer
 * drift apart unnoticed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { MockServer } from "@postpress/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { collect, matchesPrinted, printsOf, type Snippet } from "./extract.js"
import { compile, run, type SnippetError, writeProject } from "./harness.js"
import { isLoopback } from "./loopback.js"

const root = join(import.meta.dirname, "..", "..")
const outDir = join(root, "build", "snippets")
const snippets = collect(root)

const where = (snippet: Snippet, error?: SnippetError) =>
  error === undefined
    ? `${snippet.file}:${snippet.line}`
    : `${snippet.file}:${snippet.line + error.line - 1}:${error.column} ${error.text}`

let files: ReadonlyMap<number, string> = new Map()
let errors: ReadonlyMap<number, ReadonlyArray<SnippetError>> = new Map()

beforeAll(async () => {
  files = writeProject(root, outDir, snippets)
  errors = await compile(root, outDir, files)
})

describe("every documented TypeScript snippet compiles against the public exports", () => {
  it("finds the snippets of the READMEs and the @example tags", () => {
    const sources = new Set(snippets.map((s) => s.file))
    expect(sources).toContain("README.md")
    expect(sources).toContain("packages/schema/README.md")
    expect(sources).toContain("packages/contract-tests/README.md")
    expect(sources).toContain("packages/testkit/README.md")
    expect([...sources].some((file) => file.startsWith("packages/") && file.endsWith(".ts"))).toBe(true)
  })

  for (const [index, snippet] of snippets.entries()) {
    if (snippet.mode === "no-check") {
      it.skip(`${where(snippet)} (marked no-check)`, () => {})
      continue
    }
    it(where(snippet), () => {
      expect(files.has(index)).toBe(true)
      expect((errors.get(index) ?? []).map((error) => where(snippet, error))).toEqual([])
    })
  }
})

describe("runnable README snippets run against a loopback mock", () => {
  let mock: MockServer.RunningMockServer | undefined
  let env: Record<string, string> = {}

  beforeAll(async () => {
    mock = await MockServer.startMockServer({ seed: 42 })
    // Workspace 0 holds the spec's example account (acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR), which the READMEs use.
    env = { POSTPRESS_BASE_URL: mock.url, POSTPRESS_API_KEY: mock.workspaces[0]!.apiKey }
  })
  afterAll(async () => {
    await mock?.stop()
  })

  for (const [index, snippet] of snippets.entries()) {
    if (snippet.mode !== "run") continue
    it(where(snippet), async () => {
      // A snippet that does not compile is reported above; running it would only repeat that.
      expect(errors.get(index) ?? []).toEqual([])
      const result = await run(root, join(outDir, files.get(index)!), env, 60_000)
      expect({ timedOut: result.timedOut, code: result.code, output: result.code === 0 ? "" : result.output }).toEqual({
        timedOut: false,
        code: 0,
        output: ""
      })
      // What the block says it prints (its `// prints:` comments) is what it printed, line for line.
      expect(asPromised(result.stdout, snippet.prints), `${where(snippet)}: stdout`).toEqual([...snippet.prints])
      expect(result.stderr, `${where(snippet)}: stderr`).toBe("")
    })
  }
})

/** stdout's lines, each one that matches its promised line (`…` and all) shown as promised: a diff shows the rest. */
const asPromised = (stdout: string, promised: ReadonlyArray<string>): ReadonlyArray<string> =>
  stdout
    .split("\n")
    .slice(0, -1)
    .map((line, i) => (promised[i] !== undefined && matchesPrinted(promised[i]!, line) ? promised[i]! : line))

/** A runnable block that builds an Effect program and never runs it shows readers code that does nothing. */
const buildsWithoutRunning = (code: string): boolean =>
  /\bEffect\.(gen|provide|flatMap|andThen|map|tap\w*|catch\w*|scoped|all|forEach)\(/.test(code) &&
  !/\b(runPromise|runSync|runFork|runMain|runPromiseExit|runSyncExit)\b/.test(code)

describe("documentation blocks that build an Effect program run it", () => {
  it("every runnable block that builds an Effect program runs it (else mark it compile-only)", () => {
    const idle = snippets.filter((s) => s.mode === "run" && buildsWithoutRunning(s.code)).map((s) => where(s))
    expect(idle).toEqual([])
  })

  it("every runnable block of the root README prints what it shows", () => {
    const silent = snippets.filter((s) => s.file === "README.md" && s.mode === "run" && s.prints.length === 0)
    expect(silent.map((s) => where(s))).toEqual([])
  })
})

describe("the harness itself", () => {
  it("maps a compile error to the README line it came from", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snippets-"))
    try {
      writeFileSync(
        join(dir, "README.md"),
        ["# t", "", "```ts", "const ok = 1", 'const n: number = "one"', "```", ""].join("\n")
      )
      const [snippet] = collect(dir).filter((s) => s.file === "README.md")
      expect(snippet).toMatchObject({ file: "README.md", line: 4, mode: "run" })
      const project = join(outDir, "self-test")
      const written = writeProject(root, project, [snippet!])
      const found = await compile(root, project, written)
      expect((found.get(0) ?? []).map((error) => where(snippet!, error))).toEqual([
        "README.md:5:7 TS2322: Type 'string' is not assignable to type 'number'."
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("a tsc run that could not check the snippets fails, it never passes them", async () => {
    const project = join(outDir, "self-test-broken")
    const written = writeProject(root, project, [
      { file: "README.md", line: 1, mode: "run", code: "const a = 1\n", prints: [] }
    ])
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES1999" }, files: [] }))
    await expect(compile(root, project, written)).rejects.toThrow(/tsc/)
  })

  it("reads the markers and the @example blocks", () => {
    const dir = mkdtempSync(join(tmpdir(), "snippets-"))
    try {
      writeFileSync(
        join(dir, "README.md"),
        [
          "```ts compile-only",
          "a",
          "```",
          "```ts no-check",
          "b",
          "```",
          "```typescript",
          "c",
          "```",
          "```sh",
          "d",
          "```"
        ].join("\n")
      )
      mkdirSync(join(dir, "packages", "p", "src"), { recursive: true })
      writeFileSync(
        join(dir, "packages", "p", "src", "Mod.ts"),
        ["/**", " * @example", " * ```ts", " * e()", " * ```", " * @since 0.1.0", " */"].join("\n")
      )
      const found = collect(dir)
      expect(found.map((s) => [s.line, s.mode, s.code])).toEqual([
        [2, "compile-only", "a\n"],
        [5, "no-check", "b\n"],
        [8, "run", "c\n"],
        [4, "compile-only", "e()\n"]
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("reads the output a block promises from its `// prints:` comments, in order", async () => {
    const code = [
      'console.log("LINKEDIN", "acc_1") // prints: LINKEDIN acc_1',
      "// prints: second line",
      'console.log("second line")',
      ""
    ].join("\n")
    expect(printsOf(code)).toEqual(["LINKEDIN acc_1", "second line"])
    const project = join(outDir, "self-test-prints")
    const written = writeProject(root, project, [{ file: "README.md", line: 1, mode: "run", code, prints: [] }])
    const result = await run(root, join(project, written.get(0)!), {}, 60_000)
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: "LINKEDIN acc_1\nsecond line\n" })
    expect(asPromised(result.stdout, printsOf(code))).toEqual(printsOf(code))
    expect(matchesPrinted("http://127.0.0.1:… 200", "http://127.0.0.1:40123 200")).toBe(true)
    expect(matchesPrinted("http://127.0.0.1:… 200", "http://127.0.0.1:40123 404")).toBe(false)
    expect(matchesPrinted("a (b) [c]", "a (b) [c]")).toBe(true)
    expect(buildsWithoutRunning('import { Effect } from "effect"\nconst p = Effect.gen(function* () {})\n')).toBe(true)
    expect(buildsWithoutRunning('import { Effect } from "effect"\nEffect.runFork(Effect.gen(function* () {}))\n')).toBe(
      false
    )
  })

  it("lets a run snippet reach loopback only", () => {
    expect(isLoopback("127.0.0.1")).toBe(true)
    expect(isLoopback("localhost")).toBe(true)
    expect(isLoopback("::1")).toBe(true)
    expect(isLoopback("api.postpress.ai")).toBe(false)
    expect(isLoopback("staging.example.com")).toBe(false)
    expect(isLoopback("10.0.0.1")).toBe(false)
  })
})
