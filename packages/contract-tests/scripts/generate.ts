/**
 * Writes `report.schema.json`, the JSON Schema of the JSON report generated
 * from the `ContractReport` Schema (`pnpm generate`; a test fails when the
 * committed file is stale).
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { JsonSchemas } from "@postpress/schema"
import * as ContractReport from "../src/ContractReport.js"

const path = "report.schema.json"
writeFileSync(join(import.meta.dirname, "..", path), JsonSchemas.render(ContractReport.jsonSchema()))
console.log(`wrote ${path}`)
