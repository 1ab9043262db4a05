/**
 * Rewrites the generated blocks of every README (the root's and each
 * package's) and of the reference pages under `docs/` from the one description of the commands and exit codes
 * (`src/ReadmeBlocks.ts`). Run by `pnpm generate`; the docs test
 * `scripts/generated-text.test.ts` fails while a block is not current.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { refresh } from "../src/ReadmeBlocks.js"

const root = fileURLToPath(new URL("../../..", import.meta.url))

/** The documents that may hold generated blocks: the root README, each package's, and `docs/*.md`. */
export const readmes = (): ReadonlyArray<string> => [
  join(root, "README.md"),
  ...readdirSync(join(root, "packages")).map((name) => join(root, "packages", name, "README.md")),
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join(root, "docs", name))
]

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of readmes()) {
    const text = readFileSync(file, "utf8")
    const current = refresh(text)
    if (current !== text) {
      writeFileSync(file, current)
      console.log(`updated ${file}`)
    }
  }
}
