/**
 * The published `report.schema.json` and a strict variant of it, compiled
 * with ajv 8 (draft 2020-12, in ajv's strict mode: no keyword it does not
 * know), an implementation independent of Effect: what a CI step that reads
 * `--json` without Effect validates the report with.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js"
import * as ContractReport from "../../src/ContractReport.js"

/** The committed file, as the package ships it. */
export const publishedPath = join(import.meta.dirname, "..", "..", "report.schema.json")

/** One line per problem (`/checks/0/name must be equal to one of the allowed values`); empty when valid. */
export type Validate = (json: unknown) => ReadonlyArray<string>

const compile = (schema: object): Validate => {
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema)
  return (json) =>
    validate(json)
      ? []
      : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || "(root)"} ${e.message ?? e.keyword}`)
}

/** The published schema: lenient (a newer version's fields are allowed). */
export const published: Validate = compile(JSON.parse(readFileSync(publishedPath, "utf8")) as object)

/** The same schema forbidding what it does not describe: every field of a report must be in it. */
export const strict: Validate = compile(ContractReport.jsonSchema({ strict: true }))
