/**
 * The documentation's TypeScript snippets, found where readers see them:
 * every fenced `ts`/`typescript` block of the root README, the packages'
 * READMEs, the reference pages under `docs/` and any README under
 * `examples/`, and every fenced block inside an
 * doc comment (`@example` or not) in the sources of `packages/<name>/src`. The docs test (snippets.test.ts) compiles
 * them all against the packages' public exports and runs the runnable ones.
 *
 * Markers, written after the language on the fence line:
 * - (none): a complete program; compiled, then run against a loopback mock
 *   (`POSTPRESS_BASE_URL`, `POSTPRESS_API_KEY` point at it).
 * - `compile-only`: compiled, never run (it needs a real server, a test
 *   runner, or declares the values it works on).
 * - `no-check`: neither (pseudo-code); use sparingly, it can drift.
 * A block in a doc comment is always compile-only: it documents a call, it is not a program.
 *
 * What a runnable block prints is written in it, as a reader sees it: each
 * `// prints: TEXT` comment is one line the block writes on stdout, in order,
 * and the docs test runs the block and compares (a block without one must
 * print nothing). In TEXT, `…` stands for any text (a free port, a time).
 */
import { type Dirent, existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"

/** What the harness does with a snippet. */
export type Mode = "run" | "compile-only" | "no-check"

/** One snippet and where it was written. */
export interface Snippet {
  /** Repository-relative path of the file that holds it. */
  readonly file: string
  /** 1-based line of its first code line in that file. */
  readonly line: number
  readonly mode: Mode
  readonly code: string
  /** The stdout lines its `// prints: TEXT` comments promise, in order. */
  readonly prints: ReadonlyArray<string>
}

const PRINTS = /\/\/ prints: (.*)$/

/** True when `actual` is the line `promised`, where each `…` of `promised` stands for any text. */
export const matchesPrinted = (promised: string, actual: string): boolean =>
  new RegExp(
    `^${promised
      .split("…")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "s"
  ).test(actual)

/** The lines a block's `// prints:` comments promise, in order. */
export const printsOf = (code: string): ReadonlyArray<string> =>
  code.split("\n").flatMap((line) => {
    const match = PRINTS.exec(line)
    return match === null ? [] : [match[1]!.trimEnd()]
  })

const FENCE = /^(\s*)(`{3,})\s*(ts|typescript)\b(.*)$/

const modeOf = (info: string, fallback: Mode): Mode => {
  const flags = info.trim().split(/\s+/)
  if (flags.includes("no-check")) return "no-check"
  if (flags.includes("compile-only") || flags.includes("no-run")) return "compile-only"
  return fallback
}

/**
 * Fenced `ts` blocks of `lines` (already stripped of any comment prefix);
 * `lineOffset` maps an index in `lines` to the file's 1-based line.
 */
const fenced = (file: string, lines: ReadonlyArray<string>, lineOf: (index: number) => number, fallback: Mode) => {
  const out: Array<Snippet> = []
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!)
    if (open === null) continue
    const [, indent = "", ticks = "```", , info = ""] = open
    const body: Array<string> = []
    let j = i + 1
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(ticks); j++) body.push(lines[j]!.slice(indent.length))
    const code = `${body.join("\n")}\n`
    out.push({ file, line: lineOf(i + 1), mode: modeOf(info, fallback), code, prints: printsOf(code) })
    i = j
  }
  return out
}

/**
 * Fenced blocks inside the JSDoc comments of a TypeScript source: the
 * `@example` tags, and any other fenced `ts` block a doc comment shows.
 */
const examplesOf = (file: string, text: string): Array<Snippet> => {
  const lines = text.split("\n")
  const out: Array<Snippet> = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\/\*\*/.test(lines[i]!)) continue
    // The comment runs until its closing `*/`.
    const start = i
    let end = start
    while (end < lines.length && !/\*\//.test(lines[end]!)) end++
    const stripped = lines.slice(start, end).map((line) => line.replace(/^\s*(\/\*\*|\*) ?/, ""))
    out.push(...fenced(file, stripped, (index) => start + index + 1, "compile-only"))
    i = end
  }
  return out
}

const walk = (dir: string, keep: (path: string) => boolean): Array<string> => {
  let entries: Array<Dirent>
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : walk(path, keep)
    return keep(path) ? [path] : []
  })
}

/** Every documented snippet of the repository at `root`, in a stable order. */
export const collect = (root: string): ReadonlyArray<Snippet> => {
  const packagesDir = join(root, "packages")
  const packages = existsSync(packagesDir) ? readdirSync(packagesDir).map((name) => join(packagesDir, name)) : []
  const readmes = [
    join(root, "README.md"),
    ...packages.map((dir) => join(dir, "README.md")),
    ...walk(join(root, "docs"), (path) => path.endsWith(".md")),
    ...walk(join(root, "examples"), (path) => path.endsWith("README.md"))
  ].filter((path) => existsSync(path))
  // Private code (src/internal) is not documented to users; its examples could not use public exports anyway.
  const sources = packages.flatMap((dir) =>
    walk(join(dir, "src"), (path) => path.endsWith(".ts") && !/[\\/]internal[\\/]/.test(relative(dir, path)))
  )
  const read = (path: string) => readFileSync(path, "utf8")
  return [
    ...readmes.flatMap((path) => {
      const file = relative(root, path)
      return fenced(file, read(path).split("\n"), (index) => index + 1, "run")
    }),
    ...sources.sort().flatMap((path) => examplesOf(relative(root, path), read(path)))
  ]
}
