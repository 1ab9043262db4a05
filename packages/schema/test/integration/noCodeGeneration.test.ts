/**
 * Where code generation is disallowed (edge runtimes, strict CSP,
 * `node --disallow-code-generation-from-strings`), importing the package and
 * decoding still work: the fast decoder is compiled on first use, and its
 * compile failure leaves the full decode in charge. The program is bundled
 * from the sources with esbuild (tsx itself needs eval) and run in a child
 * Node with the flag.
 */
import { execFile } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { Account, DecodeIssue, SpecExample } from "@postpress/schema"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { build } from "esbuild"
import { describe, expect, it } from "vitest"

const invalid = { ...SpecExample.retrieveAccountResponse, type: "FAX" }

const program = `
import { AccountDecoder, DecodeIssue, SpecExample } from "@postpress/schema"
let codegen = "allowed"
try { new Function("return 1") } catch (e) { codegen = e.name }
const show = (r) => (r._tag === "Right" ? { ok: r.right.id } : { error: DecodeIssue.format(r.left) })
console.log(JSON.stringify({
  codegen,
  valid: show(AccountDecoder.decodeEither(SpecExample.retrieveAccountResponse)),
  validStrict: show(AccountDecoder.decodeStrictEither(SpecExample.retrieveAccountResponse)),
  invalid: show(AccountDecoder.decodeEither(${JSON.stringify(invalid)}))
}))
`

describe("without code generation", () => {
  it("imports, decodes the spec example and reports the same error path for an invalid one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "postpress-nocodegen-"))
    try {
      const file = join(dir, "program.mjs")
      const bundle = await build({
        stdin: { contents: program, resolveDir: import.meta.dirname, loader: "js" },
        bundle: true,
        format: "esm",
        platform: "node",
        conditions: ["@postpress/source"],
        write: false,
        logLevel: "silent"
      })
      await writeFile(file, bundle.outputFiles[0]!.contents)
      const { stdout } = await promisify(execFile)(process.execPath, ["--disallow-code-generation-from-strings", file])
      const out = JSON.parse(stdout)
      // The flag really took effect in the child.
      expect(out.codegen).toBe("EvalError")
      expect(out.valid).toEqual({ ok: SpecExample.retrieveAccountResponse.id })
      expect(out.validStrict).toEqual({ ok: SpecExample.retrieveAccountResponse.id })
      const expected = Schema.decodeUnknownEither(Account.Account, { errors: "all" })(invalid)
      if (Either.isRight(expected)) throw new Error("the invalid example decoded")
      expect(out.invalid).toEqual({ error: DecodeIssue.format(expected.left) })
      expect(out.invalid.error).toContain('"FAX"')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
