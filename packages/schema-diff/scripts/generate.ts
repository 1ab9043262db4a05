/**
 * `pnpm generate` for @postpress/schema-diff:
 * - `diff.schema.json`, the JSON Schema of `--json`, from the `DiffResult` Schema;
 * - the rule table between `<!-- schema-diff rules -->` markers in the package README;
 * - the compat snapshot of @postpress/schema: when its version has none yet
 *   (`changeset version` just bumped it), its published documents are copied to
 *   `packages/schema/compat/<version>/`, the baseline the release gate diffs
 *   the next release against. A snapshot once written is never rewritten.
 * Tests fail while the first two are stale and while the snapshot is missing.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as DiffReport from "../src/DiffReport.js"
import { compatDir, published, refreshRuleTable, schemaPackage, schemaVersion } from "./paths.js"

const here = join(import.meta.dirname, "..")

writeFileSync(join(here, "diff.schema.json"), `${JSON.stringify(DiffReport.jsonSchema(), null, 2)}\n`)
console.log("wrote diff.schema.json")

const readme = join(here, "README.md")
const text = readFileSync(readme, "utf8")
const refreshed = refreshRuleTable(text)
if (refreshed !== text) {
  writeFileSync(readme, refreshed)
  console.log("updated README.md (rule table)")
}

const snapshot = compatDir(schemaVersion())
if (!existsSync(snapshot)) {
  for (const file of published) {
    mkdirSync(join(snapshot, file, ".."), { recursive: true })
    cpSync(join(schemaPackage, file), join(snapshot, file))
  }
  console.log(`wrote ${snapshot}`)
}
