/**
 * One spelling per package entry point: `@postpress/contract-tests/vitest`
 * resolves, its case variant `/Vitest` (which the `./*` pattern would map to
 * the same file) does not. The testkit is its own package: its modules
 * resolve from it, its internals do not, and contract-tests no longer
 * exports what moved there.
 */
import { createRequire } from "node:module"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const require = createRequire(join(import.meta.dirname, "..", "package.json"))

describe("package entry points", () => {
  it("@postpress/contract-tests/vitest is the vitest entry", () => {
    expect(require.resolve("@postpress/contract-tests/vitest")).toMatch(/[\\/]Vitest\.(js|ts)$/)
  })

  it("@postpress/contract-tests/Vitest is not exported", () => {
    expect(() => require.resolve("@postpress/contract-tests/Vitest")).toThrow(
      /Package subpath .\.\/Vitest. is not defined by "exports"/
    )
  })

  it("@postpress/testkit exports its three modules and closes its internals", () => {
    for (const module of ["", "/Arbitraries", "/MockServer", "/MockCoverage"]) {
      expect(require.resolve(`@postpress/testkit${module}`)).toMatch(/[\\/]testkit[\\/]/)
    }
    expect(() => require.resolve("@postpress/testkit/internal/mock/server")).toThrow(
      /Package subpath .\.\/internal\/mock\/server. is not defined by "exports"/
    )
  })

  it("@postpress/schema-diff exports its modules and its result's JSON Schema, and closes its internals", () => {
    for (const module of ["", "/SchemaDiff", "/DiffReport", "/ReleaseGate", "/diff.schema.json"]) {
      expect(require.resolve(`@postpress/schema-diff${module}`)).toMatch(/[\\/]schema-diff[\\/]/)
    }
    expect(() => require.resolve("@postpress/schema-diff/internal/compare")).toThrow(
      /Package subpath .\.\/internal\/compare. is not defined by "exports"/
    )
  })

  it("@postpress/contract-tests no longer carries the testkit's modules", async () => {
    // Resolved from the sources (the workspace condition), not a dist/ an older build may have left behind.
    for (const module of ["Arbitraries", "MockServer", "MockCoverage"]) {
      const specifier = `@postpress/contract-tests/${module}`
      await expect(import(/* @vite-ignore */ specifier)).rejects.toThrow()
    }
    const face = await import("@postpress/contract-tests")
    expect(Object.keys(face)).not.toContain("MockServer")
  })
})
