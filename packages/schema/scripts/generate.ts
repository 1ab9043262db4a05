/**
 * Writes the generated OpenAPI and JSON Schema files (`pnpm generate`).
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { JsonSchemas } from "@postpress/schema"

const packageRoot = join(import.meta.dirname, "..")
for (const [path, document] of Object.entries(JsonSchemas.files())) {
  const target = join(packageRoot, path)
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, JsonSchemas.render(document))
  console.log(`wrote ${path}`)
}
