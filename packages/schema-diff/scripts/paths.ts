/**
 * Where the release gate's pieces live: the documents @postpress/schema
 * publishes, their compat snapshots (`packages/schema/compat/<version>/`),
 * the pending changesets, and the rule table block of the README.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import * as JsonSchemas from "@postpress/schema/JsonSchemas"
import * as DiffReport from "../src/DiffReport.js"

export const root = join(import.meta.dirname, "..", "..", "..")

export const schemaPackage = join(root, "packages", "schema")

/** The documents @postpress/schema publishes, relative to its folder (its generator's list): what a snapshot holds. */
export const published: ReadonlyArray<string> = Object.keys(JsonSchemas.files())

/** The version in @postpress/schema's package.json. */
export const schemaVersion = (): string =>
  (JSON.parse(readFileSync(join(schemaPackage, "package.json"), "utf8")) as { version: string }).version

/** The snapshot folder of a released version. */
export const compatDir = (version: string): string => join(schemaPackage, "compat", version)

/** The pending changesets: every `.changeset/*.md` but the folder's README. */
export const changesetFiles = (): ReadonlyArray<{ readonly file: string; readonly text: string }> => {
  const dir = join(root, ".changeset")
  return readdirSync(dir)
    .filter((file) => file.endsWith(".md") && file !== "README.md")
    .sort()
    .map((file) => ({ file: `.changeset/${file}`, text: readFileSync(join(dir, file), "utf8") }))
}

const RULES = /(<!-- schema-diff rules -->\n)[\s\S]*?(<!-- \/schema-diff rules -->)/

/** A README with its rule table block rewritten from the catalogue. */
export const refreshRuleTable = (text: string): string =>
  text.replace(RULES, (_, open: string, close: string) => `${open}${DiffReport.ruleTable()}\n${close}`)
