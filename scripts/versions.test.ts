/**
 * Each package's generated version module matches its package.json (run
 * `pnpm generate` when this fails), and no source hard-codes a version.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { allPackages, modulePath, packages, render, versionOf } from "./versions.js"

const sources = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
  )

describe("one version, from package.json", () => {
  for (const name of packages) {
    it(`@postpress/${name}: src/internal/packageVersion.ts is up to date (run \`pnpm generate\` if this fails)`, () => {
      expect(readFileSync(modulePath(name), "utf8")).toBe(render(name))
    })
  }

  it("every package of the workspace is listed", () => {
    const dirs = readdirSync(join(import.meta.dirname, "..", "packages")).sort()
    expect(dirs).toEqual([...allPackages].sort())
  })

  for (const name of allPackages) {
    it(`@postpress/${name}: no other source file spells its version out`, () => {
      const version = versionOf(name)
      const literal = new RegExp(`["'\`]${version.replaceAll(".", "\\.")}["'\`]`)
      const offenders = sources(join(import.meta.dirname, "..", "packages", name, "src"))
        .filter((path) => path !== modulePath(name))
        .filter((path) => literal.test(readFileSync(path, "utf8")))
      expect(offenders).toEqual([])
    })
  }
})
