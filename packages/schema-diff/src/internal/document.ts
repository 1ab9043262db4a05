/**
 * What a document says about responses, in one form whatever its kind:
 * a list of subjects, each one JSON Schema (2020-12) of what a reader may
 * receive, its named schemas under `$defs` and every `$ref` pointing there.
 *
 * - An OpenAPI 3.1 document: one subject per operation (`GET
 *   /v1/accounts/{id}`), whose schema is the union over its documented
 *   statuses of `{ status, body }` (the body: the `application/json`
 *   schema of that response). A status is then a variant like any other.
 * - A JSON Schema file (`account.schema.json`, the envelopes; lenient or
 *   strict): one subject, the document's root schema.
 *
 * The request side (parameters, bodies) is not read: the diff judges what a
 * reader receives.
 *
 * @internal
 */
import * as Printable from "@postpress/schema/Printable"
import { isObject, type Json, type JsonObject, unescapePointer } from "./json.js"

/** One response contract: what a reader of one operation (or of a JSON Schema file) may receive. */
export interface Subject {
  /** `GET /v1/accounts/{id}`, or `document` for a JSON Schema file. */
  readonly name: string
  readonly schema: Json
}

/** A document, read. */
export interface Contract {
  readonly kind: "openapi" | "json-schema"
  /** `OpenAPI 3.1.0, 1 operation`, `JSON Schema (2020-12), root Account`. */
  readonly summary: string
  readonly subjects: ReadonlyArray<Subject>
  /** The named schemas every subject's `$ref`s point at (`#/$defs/<name>`). */
  readonly defs: JsonObject
  /** Where a named schema was in the document as written: `#/components/schemas/MailAccount`. */
  readonly origin: Readonly<Record<string, string>>
}

/** Why a document is not one this tool reads (the caller names the side and the file). */
export class Refused extends Error {}

const refuse = (reason: string): never => {
  throw new Refused(reason)
}

/** The prefixes of the `$ref`s a document may use, per kind, and where its named schemas live. */
const refPrefixes = {
  openapi: ["#/components/schemas/"],
  "json-schema": ["#/$defs/", "#/definitions/"]
} as const

/** `value` with every `$ref` to a named schema rewritten to `#/$defs/<name>`. */
const rewriteRefs = (value: Json, prefixes: ReadonlyArray<string>, names: ReadonlySet<string>): Json => {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, prefixes, names))
  if (!isObject(value)) return value
  const out: Record<string, Json> = {}
  for (const [key, child] of Object.entries(value)) {
    if (key === "$ref" && typeof child === "string") {
      const prefix = prefixes.find((p) => child.startsWith(p))
      const name = prefix === undefined ? undefined : unescapePointer(child.slice(prefix.length))
      if (name === undefined || name.includes("/") || !names.has(name)) {
        refuse(
          `cannot follow $ref ${JSON.stringify(child)} (only ${prefixes.map((p) => `${p}…`).join(", ")} to a schema the document defines)`
        )
      }
      out[key] = `#/$defs/${name}`
    } else {
      out[key] = rewriteRefs(child, prefixes, names)
    }
  }
  return out
}

const schemaKeywords = ["type", "$ref", "anyOf", "oneOf", "allOf", "properties", "enum", "const", "items", "$defs"]

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const

/** The JSON body schema of one response object (`true`: a body this document does not constrain). */
const bodyOf = (response: JsonObject): Json => {
  const content = response.content
  if (!isObject(content)) return true
  const json =
    Object.keys(content).find((type) => type === "application/json") ??
    Object.keys(content).find((type) => /[/+]json\b/.test(type))
  const media = json === undefined ? undefined : content[json]
  return isObject(media) && media.schema !== undefined ? media.schema : true
}

/** A status key's schema: `200` a literal (a variant), `4XX` a range, `default` any status. */
const statusSchema = (status: string): Json => {
  if (/^\d{3}$/.test(status)) return { enum: [Number(status)] }
  const range = /^([1-5])XX$/i.exec(status)
  if (range !== null) return { type: "integer", minimum: Number(range[1]) * 100, maximum: Number(range[1]) * 100 + 99 }
  if (status === "default") return { type: "integer", minimum: 100, maximum: 599 }
  return refuse(`response key ${JSON.stringify(status)} is not a status code, a range like 4XX, or default`)
}

/** A response object, following one `$ref` to `#/components/responses/…`. */
const responseObject = (document: JsonObject, response: Json): JsonObject => {
  if (isObject(response) && typeof response.$ref === "string") {
    const prefix = "#/components/responses/"
    const name = response.$ref.startsWith(prefix) ? unescapePointer(response.$ref.slice(prefix.length)) : undefined
    const components = isObject(document.components) ? document.components : {}
    const target = name === undefined || !isObject(components.responses) ? undefined : components.responses[name]
    if (!isObject(target)) return refuse(`cannot follow $ref ${JSON.stringify(response.$ref)} of a response`)
    return target
  }
  return isObject(response) ? response : refuse("a response is not an object")
}

/** `{ status, body }` per documented status, as one union: what a reader of the operation may receive. */
const operationSchema = (document: JsonObject, responses: JsonObject): Json => ({
  anyOf: Object.entries(responses).map(([status, raw]) => {
    const body = bodyOf(responseObject(document, raw))
    return {
      type: "object",
      required: body === true ? ["status"] : ["status", "body"],
      properties: { status: statusSchema(status), body },
      additionalProperties: false
    }
  })
})

const readOpenApi = (document: JsonObject): Contract => {
  const version = String(document.openapi)
  if (!version.startsWith("3.1")) {
    refuse(`OpenAPI ${version} is not supported: OpenAPI 3.1 documents only (their schemas are JSON Schema 2020-12)`)
  }
  const components = isObject(document.components) ? document.components : {}
  const named = isObject(components.schemas) ? components.schemas : {}
  const names = new Set(Object.keys(named))
  const rewrite = (value: Json) => rewriteRefs(value, refPrefixes.openapi, names)
  const paths = isObject(document.paths) ? document.paths : refuse("an OpenAPI document without paths")
  const subjects: Array<Subject> = []
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue
    for (const method of methods) {
      const operation = item[method]
      if (!isObject(operation)) continue
      const responses = isObject(operation.responses) ? operation.responses : {}
      subjects.push({ name: `${method.toUpperCase()} ${path}`, schema: rewrite(operationSchema(document, responses)) })
    }
  }
  const defs = Object.fromEntries(Object.entries(named).map(([name, schema]) => [name, rewrite(schema)]))
  const origin = Object.fromEntries([...names].map((name) => [name, `#/components/schemas/${name}`]))
  const count = Printable.plural(subjects.length, "operation")
  return { kind: "openapi", summary: `OpenAPI ${version}, ${count}`, subjects, defs, origin }
}

const readJsonSchema = (document: JsonObject): Contract => {
  if (!schemaKeywords.some((keyword) => keyword in document)) {
    refuse("neither an OpenAPI document (no openapi field) nor a JSON Schema (no schema keyword at its root)")
  }
  const { $defs, definitions, $schema, $id, ...root } = document
  const named: Record<string, Json> = {
    ...(isObject(definitions) ? definitions : {}),
    ...(isObject($defs) ? $defs : {})
  }
  const names = new Set(Object.keys(named))
  const rewrite = (value: Json) => rewriteRefs(value, refPrefixes["json-schema"], names)
  const defs = Object.fromEntries(Object.entries(named).map(([name, schema]) => [name, rewrite(schema)]))
  const origin = Object.fromEntries(
    [...names].map((name) => [name, isObject($defs) && name in $defs ? `#/$defs/${name}` : `#/definitions/${name}`])
  )
  const rootName = typeof root.$ref === "string" ? root.$ref.split("/").pop() : undefined
  const draft = typeof $schema === "string" && $schema.includes("2020-12") ? " (2020-12)" : ""
  const summary = `JSON Schema${draft}${rootName === undefined ? "" : `, root ${unescapePointer(rootName)}`}`
  return { kind: "json-schema", summary, subjects: [{ name: "document", schema: rewrite(root) }], defs, origin }
}

/** A parsed JSON document read as a contract; throws {@link Refused} with the reason otherwise. */
export const read = (document: unknown): Contract => {
  if (!isObject(document)) return refuse("not a JSON object (an OpenAPI document or a JSON Schema is one)")
  if ("swagger" in document) return refuse("Swagger 2.0 is not supported: OpenAPI 3.1 documents only")
  return "openapi" in document ? readOpenApi(document) : readJsonSchema(document)
}

/** Text read as JSON; throws {@link Refused} naming where it stops being JSON. */
export const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch (error) {
    return refuse(`not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
}
