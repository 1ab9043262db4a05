/**
 * The release gate of @postpress/schema (in `pnpm test`): the documents of
 * its last released version are committed (`packages/schema/compat/<version>/`,
 * one snapshot per version, the current one present); the current documents
 * do not break readers of them unless a pending changeset bumps
 * @postpress/schema to a new major version and names every broken rule id.
 * The gate is shown to bite: a 15th account type with no changeset, with a
 * minor one, or with a major one that does not name the rule, fails it.
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { changesetFiles, compatDir, published, schemaPackage, schemaVersion } from "../scripts/paths.js"
import * as ReleaseGate from "../src/ReleaseGate.js"
import * as SchemaDiff from "../src/SchemaDiff.js"

const read = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"))

const changesets = () => changesetFiles().flatMap(({ file, text }) => ReleaseGate.parseChangeset(file, text) ?? [])

const diffs = (released: string) =>
  Effect.forEach(published, (file) =>
    SchemaDiff.diff(read(join(released, file)), read(join(schemaPackage, file)), {
      oldPath: `compat/${file}`,
      newPath: file
    })
  )

/** The current OpenAPI document with a 15th account type. */
const withFax = () => {
  const document = read(join(schemaPackage, "openapi.json")) as {
    components: { schemas: Record<string, { properties: { type: { enum: Array<string> } } }> }
    paths: Record<
      string,
      { get: { responses: Record<string, { content: Record<string, { schema: { anyOf: Array<object> } }> }> } }
    >
  }
  const fax = structuredClone(document.components.schemas.SlackAccount!)
  fax.properties.type.enum = ["FAX"]
  document.components.schemas.FaxAccount = fax
  document.paths["/v1/accounts/{id}"]!.get.responses["200"]!.content["application/json"]!.schema.anyOf.push({
    $ref: "#/components/schemas/FaxAccount"
  })
  return document
}

describe("release gate of @postpress/schema", () => {
  it("the released schema of the current version is committed, every published document of it", () => {
    const snapshot = compatDir(schemaVersion())
    for (const file of published)
      expect(existsSync(join(snapshot, file)), `${snapshot}/${file} (run pnpm generate)`).toBe(true)
  })

  it.effect(
    "the current documents do not break readers of the released ones without a major changeset naming the rules",
    () =>
      Effect.gen(function* () {
        const results = yield* diffs(compatDir(schemaVersion()))
        const verdict = ReleaseGate.check({ packageName: "@postpress/schema", results, changesets: changesets() })
        expect(verdict.pass, verdict.message).toBe(true)
      })
  )

  it.effect("bites: a 15th account type fails the gate until a major changeset names variant-added", () =>
    Effect.gen(function* () {
      const released = read(join(compatDir(schemaVersion()), "openapi.json"))
      const result = yield* SchemaDiff.diff(released, withFax())
      const gate = (texts: ReadonlyArray<string>) =>
        ReleaseGate.check({
          packageName: "@postpress/schema",
          results: [result],
          changesets: texts.flatMap((text, i) => ReleaseGate.parseChangeset(`.changeset/c${i}.md`, text) ?? [])
        })
      const none = gate([])
      expect(none).toMatchObject({ pass: false, broken: ["variant-added"] })
      expect(none.message).toContain('add a changeset with "@postpress/schema": major whose text names variant-added')
      expect(gate(['---\n"@postpress/schema": minor\n---\n\nA FAX account (variant-added).\n']).pass).toBe(false)
      const unnamed = gate(['---\n"@postpress/schema": major\n---\n\nA FAX account.\n'])
      expect(unnamed.pass).toBe(false)
      expect(unnamed.message).toContain("must name variant-added")
      expect(gate(['---\n"@postpress/client": major\n---\n\nvariant-added\n']).pass).toBe(false)
      expect(gate(['---\n"@postpress/schema": major\n---\n\nA FAX account type (variant-added).\n']).pass).toBe(true)
    })
  )
})

describe("changesets", () => {
  it("reads the front matter as the changesets tool does", () => {
    expect(
      ReleaseGate.parseChangeset(
        "a.md",
        "---\n\"@postpress/schema\": major\n'@postpress/client': patch\n---\n\nText.\n"
      )
    ).toEqual({
      file: "a.md",
      releases: [
        { name: "@postpress/schema", bump: "major" },
        { name: "@postpress/client", bump: "patch" }
      ],
      summary: "Text."
    })
    // No closing fence: no front matter, no changeset.
    expect(ReleaseGate.parseChangeset("b.md", '---\n\n## "@postpress/schema": minor\n\nText.\n')).toBeUndefined()
  })

  it("a rule id is named as a word, not as part of another id", () => {
    const result = { changes: [{ rule: "enum-value-added", severity: "breaking", path: "$.x" }] } as never
    const major = (text: string) =>
      ReleaseGate.check({
        packageName: "p",
        results: [result],
        changesets: [{ file: "c.md", releases: [{ name: "p", bump: "major" }], summary: text }]
      }).pass
    expect(major("breaks: enum-value-added.")).toBe(true)
    expect(major("breaks: error-enum-value-added-ish")).toBe(false)
  })
})
