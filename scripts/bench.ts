/**
 * `pnpm bench`: runs every `packages/<name>/bench/*.bench.ts`, prints one table
 * and writes `bench-results.json`. Each bench module default-exports a
 * function returning side-by-side entries measured in ONE run (these machines
 * are noisy, so only ratios measured together mean anything).
 *
 * Usage: `pnpm bench [filter]` — only bench files whose path contains `filter`.
 */
import { readdirSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { pathToFileURL } from "node:url"
import type { BenchEntry, BenchModule } from "./bench-entry.js"

const root = join(import.meta.dirname, "..")
const filter = process.argv[2]

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

const entries: Array<BenchEntry> = []
for (const file of benchFiles) {
  const name = relative(root, file)
  process.stderr.write(`bench: running ${name}\n`)
  const mod = (await import(pathToFileURL(file).href)) as BenchModule
  for (const entry of await mod.default()) {
    entries.push(entry)
    process.stderr.write(`bench:   ${entry.name}: ratio ${entry.ratio === null ? "-" : entry.ratio.toFixed(3)}\n`)
  }
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
writeFileSync(join(root, "bench-results.json"), `${JSON.stringify({ node: process.version, entries }, null, 2)}\n`)
console.log(`wrote bench-results.json (${entries.length} entries, node ${process.version})`)
