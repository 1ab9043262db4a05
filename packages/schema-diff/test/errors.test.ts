/**
 * What the diff refuses, as typed errors with one line of reason naming the
 * side and the file: unreadable files, text that is not JSON, JSON that is
 * not an OpenAPI 3.1 document or a JSON Schema, a `$ref` it cannot follow, a
 * schema ajv refuses, two documents of different kinds.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as SchemaDiff from "../src/SchemaDiff.js"
import { readDocument } from "./support/independent.js"

const account = readDocument("packages/schema/json-schema/account.schema.json")
const openapi = readDocument("packages/schema/openapi.json")
const dir = mkdtempSync(join(tmpdir(), "schema-diff-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const refused = (old: unknown, next: unknown) => Effect.flip(SchemaDiff.diff(old, next))

describe("documents the diff does not understand", () => {
  it.effect.each([
    [[1, 2], "OLD: not a JSON object (an OpenAPI document or a JSON Schema is one)"],
    [
      { openapi: "3.0.3", paths: {} },
      "OLD: OpenAPI 3.0.3 is not supported: OpenAPI 3.1 documents only (their schemas are JSON Schema 2020-12)"
    ],
    [{ swagger: "2.0" }, "OLD: Swagger 2.0 is not supported: OpenAPI 3.1 documents only"],
    [
      { name: "a package.json" },
      "OLD: neither an OpenAPI document (no openapi field) nor a JSON Schema (no schema keyword at its root)"
    ],
    [
      { $ref: "other.json#/x" },
      'OLD: cannot follow $ref "other.json#/x" (only #/$defs/…, #/definitions/… to a schema the document defines)'
    ],
    [
      { type: 12 },
      /^OLD: not a valid JSON Schema \(schema is invalid: \/type must be equal to one of the allowed values/
    ]
  ] as const)("%j", ([document, message]) =>
    Effect.gen(function* () {
      const error = yield* refused(document, account)
      expect(error._tag).toBe("NotASchemaDocument")
      if (typeof message === "string") expect(error.message).toBe(message)
      else expect(error.message).toMatch(message)
      expect(error.message).not.toContain("\n")
    })
  )

  it.effect("an OpenAPI document against a JSON Schema: compare two of a kind", () =>
    Effect.gen(function* () {
      const error = yield* refused(openapi, account)
      expect(error.message).toBe("NEW: is a JSON Schema and OLD an OpenAPI document: compare two of a kind")
    })
  )

  it.effect("files: missing, not JSON, a folder; each named with its side", () =>
    Effect.gen(function* () {
      const notJson = join(dir, "not.json")
      const good = join(dir, "good.json")
      writeFileSync(notJson, "{ nope")
      writeFileSync(good, JSON.stringify(account))
      const missing = yield* Effect.flip(SchemaDiff.diffFiles(join(dir, "missing.json"), good))
      expect(missing).toMatchObject({ _tag: "UnreadableDocument", side: "OLD", reason: "no such file" })
      expect(missing.message).toBe(`OLD ${join(dir, "missing.json")}: no such file`)
      const garbled = yield* Effect.flip(SchemaDiff.diffFiles(good, notJson))
      expect(garbled._tag).toBe("NotASchemaDocument")
      expect(garbled.message).toMatch(new RegExp(`^NEW ${notJson}: not JSON \\(`))
      const folder = yield* Effect.flip(SchemaDiff.diffFiles(dir, good))
      expect(folder).toMatchObject({ _tag: "UnreadableDocument", side: "OLD" })
      const result = yield* SchemaDiff.diffFiles(good, good)
      expect(result).toMatchObject({ verdict: "unchanged", old: { path: good, kind: "json-schema" } })
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})
