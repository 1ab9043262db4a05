/**
 * This project's own documents: each published document against itself is
 * "unchanged"; the OpenAPI document against a copy with a 15th account type
 * is breaking, with a counterexample of THAT type (ajv built apart agrees);
 * an optional field is safe; the strict documents read the lenient ones as
 * breaking (unknown properties) and the other way round as narrowing.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { published } from "../scripts/paths.js"
import * as SchemaDiff from "../src/SchemaDiff.js"
import { acceptor, readDocument } from "./support/independent.js"

const openapi = readDocument("packages/schema/openapi.json")
const strict = readDocument("packages/schema/openapi.strict.json")
const files = published.map((file) => `packages/schema/${file}`)

type OpenApi = {
  components: { schemas: Record<string, { properties: Record<string, unknown> & { type: { enum: Array<string> } } }> }
  paths: Record<
    string,
    { get: { responses: Record<string, { content: Record<string, { schema: { anyOf: Array<object> } }> }> } }
  >
}

const edit = (change: (document: OpenApi) => void): unknown => {
  const copy = structuredClone(openapi) as unknown as OpenApi
  change(copy)
  return copy
}

const addVariant = (literal: string) => (document: OpenApi) => {
  const variant = structuredClone(document.components.schemas.TelegramAccount!)
  variant.properties.type.enum = [literal]
  document.components.schemas.FifteenthAccount = variant
  document.paths["/v1/accounts/{id}"]!.get.responses["200"]!.content["application/json"]!.schema.anyOf.push({
    $ref: "#/components/schemas/FifteenthAccount"
  })
}

describe("this project's documents", () => {
  it.effect.each(files)("%s against itself: unchanged", (file) =>
    Effect.gen(function* () {
      const document = readDocument(file)
      const result = yield* SchemaDiff.diff(document, structuredClone(document))
      expect(result.verdict).toBe("unchanged")
      expect(result.changes).toEqual([])
    })
  )

  it.effect.each(["LINKEDIN_V2", "linkedin"])(
    "a 15th account type (%s) is breaking, shown by an account of that type",
    (literal) =>
      Effect.gen(function* () {
        const next = edit(addVariant(literal))
        const result = yield* SchemaDiff.diff(openapi, next)
        expect(result.verdict).toBe("breaking")
        expect(result.changes.map((c) => [c.rule, c.severity, c.path])).toEqual([
          ["variant-added", "breaking", `$[status=200].body[type=${literal}]`]
        ])
        const { value, oldError } = result.changes[0]!.counterexample!
        expect(value).toMatchObject({ status: 200, body: { type: literal } })
        expect(acceptor(next as never)(value)).toBe(true)
        expect(acceptor(openapi)(value)).toBe(false)
        expect(oldError).toMatch(
          /^\/body\/type must be equal to one of the allowed values \(MOBILE, MAIL, .*MESSENGER\)$/
        )
      })
  )

  it.effect("an optional field is safe for lenient readers, breaking for strict ones", () =>
    Effect.gen(function* () {
      const nickname = (document: OpenApi) => {
        document.components.schemas.MailAccount!.properties.nickname = { type: "string" }
      }
      const lenient = yield* SchemaDiff.diff(openapi, edit(nickname))
      expect(lenient.verdict).toBe("safe")
      expect(lenient.changes.map((c) => [c.rule, c.path])).toEqual([
        ["property-added-optional", "$[status=200].body[type=MAIL].nickname"]
      ])
      const strictNext = structuredClone(strict) as unknown as OpenApi
      nickname(strictNext)
      const strictResult = yield* SchemaDiff.diff(strict, strictNext)
      expect(strictResult.verdict).toBe("breaking")
      expect(strictResult.changes[0]?.counterexample?.value).toMatchObject({
        body: { type: "MAIL", nickname: expect.any(String) }
      })
    })
  )

  it.effect("strict readers of lenient documents: breaking (unknown properties); the other way: narrowing", () =>
    Effect.gen(function* () {
      const loosened = yield* SchemaDiff.diff(strict, openapi, { runs: 40 })
      expect(loosened.verdict).toBe("breaking")
      expect(new Set(loosened.changes.map((c) => c.rule))).toEqual(new Set(["additional-properties-allowed"]))
      for (const change of loosened.changes) expect(acceptor(strict)(change.counterexample?.value)).toBe(false)
      const tightened = yield* SchemaDiff.diff(openapi, strict)
      expect(tightened.verdict).toBe("narrowing")
      expect(new Set(tightened.changes.map((c) => c.rule))).toEqual(new Set(["additional-properties-forbidden"]))
    })
  )

  it.effect("the same seed gives the same counterexamples", () =>
    Effect.gen(function* () {
      const next = edit(addVariant("FAX"))
      const [a, b] = yield* Effect.all([
        SchemaDiff.diff(openapi, next, { seed: 7 }),
        SchemaDiff.diff(openapi, next, { seed: 7 })
      ])
      expect(a.changes[0]?.counterexample).toEqual(b.changes[0]?.counterexample)
    })
  )
})
