/**
 * `pnpm bench`: runs every `packages/<name>/bench/*.bench.ts`, prints one table
 * and writes `bench-results.json`. Each bench module default-exports a
 * function returning side-by-side entries measured in ONE run (these machines
 * are noisy, so only ratios measured together mean anything), and exports the
 * names of the `entries` it writes.
 *
 * Usage: `pnpm bench [filter]` — only bench files whose path contains `filter`.
 *
 * `pnpm bench --smoke` (or `BENCH_SMOKE=1`), run by CI: every bench file with
 * few iterations and short durations. It checks that each module completes
 * (within {@link smokeLimitMs}) and writes every entry it declares, each with
 * finite numbers; it prints one line per broken entry and exits 1 if there is
 * one. Its numbers mean nothing, so it writes no `bench-results.json`.
 */
import { readdirSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { pathToFileURL } from "node:url"
import { type BenchEntry, type BenchModule, problems } from "./bench-entry.js"

const root = join(import.meta.dirname, "..")
const args = process.argv.slice(2)
const smoke = args.includes("--smoke") || process.env.BENCH_SMOKE === "1"
const filter = args.find((arg) => !arg.startsWith("--"))

/** How long one module may take in a smoke run before it counts as broken (it should take seconds). */
const smokeLimitMs = 180_000

const benchFiles = readdirSync(join(root, "packages"))
  .flatMap((pkg) => {
    const dir = join(root, "packages", pkg, "bench")
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith(".bench.ts"))
        .map((f) => join(dir, f))
    } catch {
      return []
    }
  })
  .filter((file) => filter === undefined || file.includes(filter))
  .sort()

/** Resolves `run`, or rejects after `ms` (the timer never keeps the process alive). */
const within = <A>(ms: number, run: Promise<A>): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not complete within ${ms / 1000} s`)), ms)
    timer.unref()
    run.then(resolve, reject).finally(() => clearTimeout(timer))
  })

/** The first line of an error, at most 300 characters: the smoke prints one line per broken module or entry. */
const messageOf = (error: unknown): string => {
  const line = (error instanceof Error ? error.message : String(error)).split("\n")[0]!
  return line.length > 300 ? `${line.slice(0, 297)}...` : line
}

const started = performance.now()
const entries: Array<BenchEntry> = []
/** `file: what is wrong`, one per broken entry (or module). */
const broken: Array<string> = []
for (const file of benchFiles) {
  const name = relative(root, file)
  process.stderr.write(`bench: running ${name}${smoke ? " (smoke)" : ""}\n`)
  const moduleStarted = performance.now()
  let declared: ReadonlyArray<string> = []
  try {
    const mod = (await import(pathToFileURL(file).href)) as Partial<BenchModule>
    if (typeof mod.default !== "function" || !Array.isArray(mod.entries)) {
      throw new Error("exports no default function and `entries` list")
    }
    declared = mod.entries
    const run = mod.default({ smoke })
    const written = smoke ? await within(smokeLimitMs, run) : await run
    for (const e of written) {
      entries.push(e)
      process.stderr.write(`bench:   ${e.name}: ratio ${e.ratio === null ? "-" : e.ratio.toFixed(3)}\n`)
    }
    for (const problem of problems(mod.entries, written)) broken.push(`${name}: ${problem}`)
  } catch (error) {
    const unwritten = declared.length === 0 ? "" : ` (${declared.join(", ")} not written)`
    broken.push(`${name}${unwritten}: ${messageOf(error)}`)
  }
  process.stderr.write(`bench:   (${((performance.now() - moduleStarted) / 1000).toFixed(1)} s)\n`)
}

const fmt = (n: number | null) =>
  n === null ? "-" : Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(3)
console.log()
console.table(
  entries.map((e) => ({
    name: e.name,
    ours: fmt(e.ours),
    peer: fmt(e.peer),
    unit: e.unit,
    ratio: fmt(e.ratio),
    ...(e.note === undefined ? {} : { note: e.note })
  }))
)
const seconds = ((performance.now() - started) / 1000).toFixed(1)
if (smoke) {
  for (const line of broken) console.error(`bench smoke: BROKEN ${line}`)
  console.log(
    `bench smoke: ${benchFiles.length} bench files, ${entries.length} entries written, ${broken.length} broken, in ${seconds} s (node ${process.version})`
  )
} else {
  writeFileSync(join(root, "bench-results.json"), `${JSON.stringify({ node: process.version, entries }, null, 2)}\n`)
  // A measuring run keeps what it could measure (an entry skipped for want of the registry says why).
  for (const line of broken) console.error(`bench: ${line}`)
  console.log(`wrote bench-results.json (${entries.length} entries, node ${process.version}, ${seconds} s)`)
}
// A smoke run fails on anything broken; a measuring run on what is more than a skipped measurement.
const failed = smoke ? broken.length > 0 : broken.some((line) => !line.includes(": not a finite number"))
// Exit now: a module that timed out may still hold servers open.
process.exit(failed ? 1 : 0)
