import { readFileSync } from "node:fs"
import { join } from "node:path"
import { test as fcTest } from "@fast-check/vitest"
import { Account, ErrorCatalogue, ErrorEnvelope, JsonSchemas } from "@postpress/schema"
import { Arbitrary, Either, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeAjv } from "./utils/ajv.js"

const packageRoot = join(import.meta.dirname, "..")

describe("committed generated files", () => {
  for (const [path, document] of Object.entries(JsonSchemas.files())) {
    it(`${path} is up to date (run \`pnpm generate\` if this fails)`, () => {
      expect(readFileSync(join(packageRoot, path), "utf8")).toBe(JsonSchemas.render(document))
    })
  }

  it("the lenient documents never forbid additional properties; the strict ones do", () => {
    for (const [path, document] of Object.entries(JsonSchemas.files())) {
      const text = JSON.stringify(document)
      if (path.includes(".strict.")) expect(text).toContain('"additionalProperties":false')
      else expect(text).not.toContain('"additionalProperties":false')
    }
  })
})

describe("the OpenAPI document", () => {
  const document = JsonSchemas.openApi()
  const operation = document.paths["/v1/accounts/{id}"]!.get!

  it("is OpenAPI 3.1 with the X-API-KEY header scheme and the default server", () => {
    expect(document.openapi).toBe("3.1.0")
    expect(document.components.securitySchemes).toMatchObject({
      apiKey: { type: "apiKey", in: "header", name: "X-API-KEY" }
    })
    expect(document.servers).toEqual([{ url: "https://api.postpress.ai/api" }])
  })

  it("documents each error status with its own tier envelope", () => {
    for (const status of ErrorCatalogue.errorStatuses) {
      const schema = operation.responses[status]?.content?.["application/json"]?.schema
      expect(schema).toEqual({ $ref: `#/components/schemas/ErrorEnvelope${status}` })
      const component = document.components.schemas[`ErrorEnvelope${status}`] as unknown as {
        properties: { type: { enum: Array<string> }; status: { enum: Array<number> } }
      }
      expect(component.properties.type.enum).toEqual(ErrorCatalogue.typesOf(status))
      expect(component.properties.status.enum).toEqual([status])
    }
    expect(Object.keys(operation.responses).sort()).toEqual(["200", "400", "401", "404", "500", "503", "504"])
  })
})

const accountArb = Arbitrary.make(Account.Account)
const extraArb = fc
  .tuple(
    accountArb,
    fc.string({ minLength: 1 }).filter((k) => !(k in {})),
    fc.jsonValue()
  )
  .map(([account, key, value]) => ({ [key]: value, ...account }))

describe("ajv with the generated JSON Schema agrees with the Effect schema", () => {
  const ajv = makeAjv()
  const lenient = ajv.compile(JsonSchemas.account())
  const strict = ajv.compile(JsonSchemas.account({ strict: true }))
  const effectLenient = Schema.is(Account.Account)
  const effectStrict = (u: unknown) =>
    Either.isRight(Schema.decodeUnknownEither(Account.Account, { onExcessProperty: "error" })(u))

  const agree = (input: unknown) => {
    const json: unknown = JSON.parse(JSON.stringify(input) ?? "null")
    expect(lenient(json)).toBe(effectLenient(json))
    expect(strict(json)).toBe(effectStrict(json))
  }

  fcTest.prop([accountArb], { numRuns: 300 })("on valid accounts (both accept)", (a) => {
    agree(a)
    expect(lenient(JSON.parse(JSON.stringify(a)))).toBe(true)
  })
  fcTest.prop([extraArb], { numRuns: 200 })("on accounts with unknown fields (lenient accepts, strict rejects)", agree)

  it("on the envelope schema", () => {
    const validate = ajv.compile(JsonSchemas.errorEnvelope())
    const decode = Schema.is(ErrorEnvelope.DocumentedErrorEnvelope)
    const samples = [
      { title: "Not found", type: "errors/resource_not_found", status: 404 },
      { title: "Not found", type: "errors/resource_not_found", status: 400 },
      { title: "Timeout", type: "errors/request_timeout", status: 504, detail: "d", instance: "i" },
      { type: "errors/request_timeout", status: 504 },
      { title: "x", type: "errors/teapot", status: 418 }
    ]
    expect(samples.map((s) => validate(s))).toEqual(samples.map((s) => decode(s)))
    expect(samples.map((s) => validate(s))).toEqual([true, false, true, false, false])
  })
})
