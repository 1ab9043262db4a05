/**
 * Exports for non-Effect consumers, generated from the schemas: an OpenAPI 3.1
 * document and JSON Schemas (draft 2020-12) for `Account` and the error
 * envelope. The committed files (`openapi.json`, `json-schema/*.json`) are
 * written by `pnpm generate` and a test fails when they are stale.
 *
 * The default documents follow the same lenient reading as the decoder: no
 * `additionalProperties: false`, so forward-compatible responses validate.
 * The `strict` variants forbid unknown properties, like `decodeStrict`.
 *
 * @since 0.1.0
 */
import * as OpenApi from "@effect/platform/OpenApi"
import * as JSONSchema from "effect/JSONSchema"
import type * as Schema from "effect/Schema"
import { Account } from "./Account.js"
import { makeApi } from "./AccountsApi.js"
import { DocumentedErrorEnvelope } from "./ErrorEnvelope.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface GenerateOptions {
  /** Forbid properties the spec does not define (`additionalProperties: false`). */
  readonly strict?: boolean | undefined
}

const strategy = (options: GenerateOptions) => (options.strict === true ? "strict" : "allow")

const jsonSchemaOf = (schema: Schema.Schema.All, options: GenerateOptions): object => {
  const definitions: Record<string, JSONSchema.JsonSchema7> = {}
  const root = JSONSchema.fromAST(schema.ast, {
    definitions,
    definitionPath: "#/$defs/",
    target: "jsonSchema2020-12",
    additionalPropertiesStrategy: strategy(options)
  })
  return { $schema: "https://json-schema.org/draft/2020-12/schema", ...root, $defs: definitions }
}

/**
 * JSON Schema (draft 2020-12) of `Account`.
 *
 * @since 0.1.0
 * @category generators
 */
export const account = (options: GenerateOptions = {}): object => jsonSchemaOf(Account, options)

/**
 * JSON Schema (draft 2020-12) of an error envelope of any documented tier,
 * with `type` and `status` bound to each other.
 *
 * @since 0.1.0
 * @category generators
 */
export const errorEnvelope = (options: GenerateOptions = {}): object => jsonSchemaOf(DocumentedErrorEnvelope, options)

type OpenApiDocument = ReturnType<typeof OpenApi.fromApi>

/**
 * The OpenAPI 3.1 document of the accounts API.
 *
 * Two adjustments to what `OpenApi.fromApi` derives: the 200 response gets a
 * description of its own (the platform names it after the first variant), and
 * the 400 response documents only our envelope — the platform's own
 * `HttpApiDecodeError` body is an implementation detail our servers map to the
 * envelope, as the spec requires.
 *
 * @since 0.1.0
 * @category generators
 */
export const openApi = (options: GenerateOptions = {}): OpenApiDocument => {
  // A fresh API instance: `fromApi` caches per instance and ignores the options on a hit.
  const document = structuredClone(OpenApi.fromApi(makeApi(), { additionalPropertiesStrategy: strategy(options) }))
  const operation = document.paths["/v1/accounts/{id}"]?.get
  if (operation === undefined) throw new Error("OpenAPI: the retrieve operation is missing")
  const ok = operation.responses[200]
  if (ok !== undefined) ok.description = "The account: a single Account object."
  const badRequest = operation.responses[400]
  if (badRequest !== undefined) {
    badRequest.description = "Bad Request"
    const media = badRequest.content?.["application/json"]
    if (media !== undefined) media.schema = { $ref: "#/components/schemas/ErrorEnvelope400" }
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    if (response.description === "Error") response.description = `Error ${status}`
  }
  for (const name of ["HttpApiDecodeError", "Issue", "PropertyKey"]) delete document.components.schemas[name]
  return document
}

/**
 * Every generated file, keyed by its path relative to the package root.
 *
 * @since 0.1.0
 * @category generators
 */
export const files = (): Record<string, object> => ({
  "openapi.json": openApi(),
  "openapi.strict.json": openApi({ strict: true }),
  "json-schema/account.schema.json": account(),
  "json-schema/account.strict.schema.json": account({ strict: true }),
  "json-schema/error-envelope.schema.json": errorEnvelope(),
  "json-schema/error-envelope.strict.schema.json": errorEnvelope({ strict: true })
})

/**
 * The text written for a generated file (stable: two-space JSON and a newline).
 *
 * @since 0.1.0
 * @category generators
 */
export const render = (document: object): string => `${JSON.stringify(document, null, 2)}\n`
