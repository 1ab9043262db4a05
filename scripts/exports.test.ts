/**
 * One spelling per package entry point: `@postpress/contract-tests/vitest`
 * resolves, its case variant `/Vitest` (which the `./*` pattern would map to
 * the same file) does not.
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
})
