/**
 * A second opinion, built apart from the package's own validators: ajv 8
 * (2020-12, ajv-formats) over the document AS WRITTEN (no rewriting of its
 * `$ref`s): a JSON Schema file compiled as it is; for an OpenAPI document, a
 * value `{ status, body }` is accepted when the operation documents that
 * status and its JSON body schema (reached by a JSON Pointer into the
 * document) accepts the body. What the tests check counterexamples with.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

/** Whether a document accepts a value (for OpenAPI: `{ status, body }` of its one operation, or of `operation`). */
export type Accepts = (value: unknown) => boolean

const id = "https://postpress.invalid/document.json"

const pointer = (...segments: ReadonlyArray<string>): string =>
  segments.map((s) => encodeURIComponent(s.replaceAll("~", "~0").replaceAll("/", "~1"))).join("/")

export const acceptor = (document: Record<string, unknown>, operation?: string): Accepts => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false })
  addFormats(ajv)
  if (!("openapi" in document)) return ajv.compile(document) as Accepts
  ajv.addSchema(document, id)
  const paths = document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>
  const [path, method] = (operation ?? "GET /v1/accounts/{id}").split(" ").reverse() as [string, string]
  const responses = paths[path]?.[method.toLowerCase()]?.responses ?? {}
  const byStatus = new Map(
    Object.keys(responses).map((status) => {
      const schema = `${id}#/${pointer("paths", path, method.toLowerCase(), "responses", status, "content", "application/json", "schema")}`
      return [Number(status), ajv.compile({ $ref: schema })] as const
    })
  )
  return (value) => {
    if (typeof value !== "object" || value === null) return false
    const { status, body } = value as { status?: unknown; body?: unknown }
    const validate = typeof status === "number" ? byStatus.get(status) : undefined
    return validate !== undefined && validate(body) === true
  }
}

const root = join(import.meta.dirname, "..", "..", "..", "..")

/** A committed document of the repository, parsed (`packages/schema/openapi.json`). */
export const readDocument = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(root, path), "utf8")) as Record<string, unknown>
