/**
 * Compiles and runs documentation snippets (see extract.ts for where they
 * come from and the fence markers).
 *
 * Compiling: every checked snippet becomes one module in a generated,
 * git-ignored folder (`build/snippets`), with a tsconfig that extends the
 * repository's strict settings and resolves `@postpress/*` through their
 * `exports` (so `src/internal` is out of reach, as for a user). The repo's
 * `tsc` (TypeScript 7, native) checks them all in one run; each error is
 * mapped back to the README or source line it came from.
 *
 * Running: a runnable snippet is run by Node with tsx, in its own process,
 * with `POSTPRESS_BASE_URL` and `POSTPRESS_API_KEY` pointing at a loopback
 * mock and a guard (loopbackOnly.ts) that refuses any connection to another
 * address, so a snippet that should not run fails instead of reaching out.
 */
import { execFile, spawn } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import type { Snippet } from "./extract.js"

/** One compile error, located in the documentation. */
export interface SnippetError {
  readonly line: number
  readonly column: number
  readonly text: string
}

const fileName = (index: number) => `snippet${String(index).padStart(3, "0")}.ts`

/**
 * Writes the snippets that are checked as modules under `outDir`, plus the
 * tsconfig that compiles them. Returns the file name of each snippet index.
 */
export const writeProject = (
  root: string,
  outDir: string,
  snippets: ReadonlyArray<Snippet>
): ReadonlyMap<number, string> => {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const files = new Map<number, string>()
  snippets.forEach((snippet, index) => {
    if (snippet.mode === "no-check") return
    const name = fileName(index)
    // `export {}` makes every snippet a module (own scope, top-level await), whatever it imports.
    writeFileSync(join(outDir, name), `${snippet.code}export {}\n`)
    files.set(index, name)
  })
  const tsconfig = {
    extends: relative(outDir, join(root, "tsconfig.base.json")),
    compilerOptions: {
      composite: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      noEmit: true,
      // Snippets show one call at a time: values they only display are fine, and
      // `xs[0]` reads as a user's code does (without noUncheckedIndexedAccess).
      noUnusedLocals: false,
      noUnusedParameters: false,
      noUncheckedIndexedAccess: false
    },
    files: [...files.values()]
  }
  writeFileSync(join(outDir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`)
  return files
}

const ERROR = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/

/**
 * Runs `tsc -p outDir` once and returns the errors of each snippet (by
 * index). Errors in other files (the packages themselves) are `typecheck`'s
 * business and are returned under `-1`.
 */
export const compile = async (
  root: string,
  outDir: string,
  files: ReadonlyMap<number, string>
): Promise<ReadonlyMap<number, ReadonlyArray<SnippetError>>> => {
  const tsc = join(root, "node_modules", ".bin", "tsc")
  const { code, output } = await new Promise<{ readonly code: number; readonly output: string }>((resolve, reject) => {
    execFile(
      tsc,
      ["-p", outDir, "--pretty", "false"],
      { cwd: outDir, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        // tsc exits non-zero when it finds errors; anything else (not found, killed) means nothing was checked.
        if (error !== null && typeof error.code !== "number") reject(new Error(`tsc did not run: ${error.message}`))
        else resolve({ code: error === null ? 0 : (error.code as number), output: stdout })
      }
    )
  })
  const byName = new Map([...files].map(([index, name]) => [name, index]))
  const errors = new Map<number, Array<SnippetError>>()
  let current: Array<SnippetError> | undefined
  for (const line of output.split("\n")) {
    const match = ERROR.exec(line)
    if (match === null) {
      // Continuation lines belong to the error above them.
      if (current !== undefined && line.trim() !== "") {
        const last = current.pop()!
        current.push({ ...last, text: `${last.text}\n${line}` })
      }
      continue
    }
    const [, file = "", row = "0", column = "0", text = ""] = match
    const index = byName.get(file.replace(/^.*[\\/]/, "")) ?? -1
    // An error in the generated project itself (its tsconfig) means the snippets were not judged.
    if (index === -1 && !file.includes("/") && !file.includes("\\")) {
      throw new Error(`tsc could not check the snippets: ${line}`)
    }
    current = errors.get(index) ?? []
    errors.set(index, current)
    current.push({ line: Number(row), column: Number(column), text })
  }
  // A failed run that reported nothing we could read judged nothing: never a silent pass.
  if (code !== 0 && errors.size === 0) throw new Error(`tsc failed without file errors:\n${output}`)
  return errors
}

/** The outcome of running one snippet. */
export interface RunResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly timedOut: boolean
  /** stdout and stderr as they arrived, interleaved. */
  readonly output: string
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs a compiled snippet with Node + tsx in its own process, loopback only,
 * with `env` added to a clean environment (no POSTPRESS_* from the caller).
 */
export const run = (
  root: string,
  path: string,
  env: Readonly<Record<string, string>>,
  timeoutMs: number
): Promise<RunResult> =>
  new Promise((resolve) => {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("POSTPRESS_") && !name.startsWith("VITEST"))
    )
    const child = spawn(
      process.execPath,
      [
        "--conditions=@postpress/source",
        "--import",
        "tsx",
        "--import",
        join(root, "scripts", "snippets", "loopbackOnly.ts"),
        path
      ],
      { cwd: root, env: { ...inherited, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] }
    )
    let output = ""
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
      stdout += chunk.toString("utf8")
    })
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
      stderr += chunk.toString("utf8")
    })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill("SIGKILL")
    }, timeoutMs)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, timedOut, output, stdout, stderr })
    })
  })
