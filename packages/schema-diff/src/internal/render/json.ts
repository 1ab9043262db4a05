/**
 * The result as JSON, both ways: what `--json` prints is the encoding of
 * the `DiffResult` Schema; `diff.schema.json` (published with the package)
 * is the JSON Schema generated from it.
 *
 * @internal
 */
import type * as Effect from "effect/Effect"
import * as JSONSchema from "effect/JSONSchema"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { DiffResult } from "../model.js"

const encode = Schema.encodeSync(DiffResult)

/**
 * The result as pretty JSON: its encoding.
 *
 * @since 0.1.0
 */
export const toJson = (result: DiffResult): string => `${JSON.stringify(encode(result), null, 2)}\n`

/**
 * Reads a JSON result back (what `--json` printed).
 *
 * @since 0.1.0
 */
export const fromJson: (text: string) => Effect.Effect<DiffResult, ParseResult.ParseError> = Schema.decodeUnknown(
  Schema.parseJson(DiffResult)
)

/**
 * The JSON Schema (draft 2020-12) of the JSON result: what
 * `diff.schema.json` holds. Lenient by default (a newer version's fields
 * validate against an older copy); `strict` forbids unknown properties.
 *
 * @since 0.1.0
 */
export const jsonSchema = (options: { readonly strict?: boolean | undefined } = {}): object => {
  const definitions: Record<string, JSONSchema.JsonSchema7> = {}
  const root = JSONSchema.fromAST(DiffResult.ast, {
    definitions,
    target: "jsonSchema2020-12",
    additionalPropertiesStrategy: options.strict === true ? "strict" : "allow"
  })
  return { $schema: "https://json-schema.org/draft/2020-12/schema", ...root, $defs: definitions }
}
