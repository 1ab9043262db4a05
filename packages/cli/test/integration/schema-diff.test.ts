/**
 * `postpress schema diff` as users run it: the built bundle (ajv, ajv-formats
 * and the generator bundled in), spawned. This project's OpenAPI document
 * against a copy with a 15th account type exits 1 with that type's
 * counterexample as JSON; against itself, 0; an unreadable file, 2 with one
 * line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { oneLine, run } from "../support/program.js"

const openapi = join(import.meta.dirname, "..", "..", "..", "schema", "openapi.json")
const dir = mkdtempSync(join(tmpdir(), "postpress-schema-diff-built-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("postpress schema diff, built", () => {
  it("a 15th account type: exit 1, its counterexample; the document against itself: exit 0; a missing file: exit 2", async () => {
    const document = JSON.parse(readFileSync(openapi, "utf8"))
    const fax = structuredClone(document.components.schemas.TelegramAccount)
    fax.properties.type.enum = ["FAX"]
    document.components.schemas.FaxAccount = fax
    document.paths["/v1/accounts/{id}"].get.responses["200"].content["application/json"].schema.anyOf.push({
      $ref: "#/components/schemas/FaxAccount"
    })
    const next = join(dir, "openapi.next.json")
    writeFileSync(next, JSON.stringify(document))
    const [breaking, same, missing] = await Promise.all([
      run(["schema", "diff", "--json", openapi, next]),
      run(["schema", "diff", openapi, openapi]),
      run(["schema", "diff", join(dir, "missing.json"), openapi])
    ])
    expect(breaking).toMatchObject({ code: 1, stderr: "" })
    const result = JSON.parse(breaking.stdout)
    expect(result.changes).toHaveLength(1)
    expect(result.changes[0]).toMatchObject({
      rule: "variant-added",
      severity: "breaking",
      path: "$[status=200].body[type=FAX]",
      counterexample: { value: { status: 200, body: { type: "FAX" } } }
    })
    expect(same).toMatchObject({ code: 0, stderr: "" })
    expect(same.stdout).toMatch(/^Schema diff: unchanged/)
    expect(missing).toMatchObject({ code: 2, stdout: "" })
    expect(oneLine(missing.stderr)).toBe(`postpress schema diff: OLD ${join(dir, "missing.json")}: no such file`)
  })
})
