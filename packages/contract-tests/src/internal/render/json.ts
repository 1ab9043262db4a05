/**
 * The report as JSON, both ways: what `--json FILE` writes for the suite,
 * the proxy and the HAR reader is the encoding of the `ContractReport`
 * Schema (pretty-printed, final newline); reading one back decodes it with
 * the same Schema; `report.schema.json` (published with the package) is the
 * JSON Schema generated from it.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as JSONSchema from "effect/JSONSchema"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { ContractReport } from "../report/model.js"

// Keys in the order the report was built (the order of the JSON reports before they were a Schema's encoding).
const encode = Schema.encodeSync(ContractReport, { propertyOrder: "original" })

/**
 * The report as pretty JSON (what `--json FILE` writes): its encoding.
 *
 * @since 0.1.0
 * @category rendering
 */
export const toJson = (report: ContractReport): string => `${JSON.stringify(encode(report), null, 2)}\n`

/**
 * Reads a JSON report (what `--json FILE` wrote): text that is not JSON, or
 * JSON that is not a report, fails with the `ParseError` naming where.
 *
 * @since 0.1.0
 * @category parsing
 */
export const fromJson: (text: string) => Effect.Effect<ContractReport, ParseResult.ParseError> = Schema.decodeUnknown(
  Schema.parseJson(ContractReport)
)

/**
 * @since 0.1.0
 * @category models
 */
export interface JsonSchemaOptions {
  /** Forbid properties the report does not define (`additionalProperties: false`). */
  readonly strict?: boolean | undefined
}

/**
 * The JSON Schema (draft 2020-12) of the JSON report, generated from the
 * `ContractReport` Schema: what `report.schema.json` holds. By default it
 * allows properties it does not know (a newer version's report validates
 * against an older copy); `strict` forbids them.
 *
 * @since 0.1.0
 * @category generators
 */
export const jsonSchema = (options: JsonSchemaOptions = {}): object => {
  const definitions: Record<string, JSONSchema.JsonSchema7> = {}
  const root = JSONSchema.fromAST(ContractReport.ast, {
    definitions,
    target: "jsonSchema2020-12",
    additionalPropertiesStrategy: options.strict === true ? "strict" : "allow"
  })
  return { $schema: "https://json-schema.org/draft/2020-12/schema", ...root, $defs: definitions }
}
