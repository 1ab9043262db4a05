/**
 * The renderings of a result: the text names each change's severity, rule,
 * path and description on one line, then its counterexample and OLD's
 * error; the Markdown comment has a table row per change and a collapsed
 * counterexample per breaking one; text from a document cannot drive a
 * terminal or break out of a Markdown cell, span or fence. The JSON is the
 * encoding of the DiffResult Schema: it reads back equal, validates (ajv,
 * strict) against the committed `diff.schema.json`, which is current.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Ajv2020 } from "ajv/dist/2020.js"
import * as Effect from "effect/Effect"
import { refreshRuleTable } from "../scripts/paths.js"
import * as DiffReport from "../src/DiffReport.js"
import * as SchemaDiff from "../src/SchemaDiff.js"
import { readDocument } from "./support/independent.js"

const account = readDocument("packages/schema/json-schema/account.schema.json") as {
  $defs: Record<string, { enum?: Array<string>; properties?: Record<string, unknown> }>
}
const hostile = "none\u001b[2J`|</code><script>\n```"

/** A diff with a breaking change (a hostile enum value), a safe one and a narrowing one. */
const result = Effect.runSync(
  SchemaDiff.diff(
    account,
    (() => {
      const next = structuredClone(account)
      next.$defs.ImapEncryption!.enum!.push(hostile)
      next.$defs.MailAccount!.properties!.nickname = { type: "string" }
      next.$defs.ProxyProtocol!.enum = ["http", "https"]
      return next
    })(),
    { oldPath: "old/account.schema.json", newPath: "account.schema.json" }
  )
)

describe("text", () => {
  const text = DiffReport.text(result)

  it("a verdict line, the documents, one line per change, the counterexample and OLD's error", () => {
    const lines = text.split("\n")
    expect(lines[0]).toBe("Schema diff: breaking (1 breaking, 1 narrowing, 1 safe)")
    expect(lines[1]).toBe("OLD  old/account.schema.json (JSON Schema (2020-12), root Account)")
    expect(lines.filter((line) => /^(breaking|narrowing|safe) /.test(line))).toEqual([
      expect.stringMatching(
        /^breaking {2}enum-value-added {2}\$\[type=MAIL\]\.connection_params\.mail\.imap_encryption: enum value /
      ),
      expect.stringMatching(
        /^narrowing enum-value-removed {2}\$\[type=LINKEDIN\]\.connection_params\.im\.proxy\.protocol: enum value "socks5" removed$/
      ),
      'safe      property-added-optional  $[type=MAIL].nickname: optional property "nickname" added: OLD readers ignore it'
    ])
    expect(text).toContain("counterexample (NEW accepts it, OLD rejects it):")
    expect(text).toMatch(
      /OLD says: \/connection_params\/mail\/imap_encryption must be equal to one of the allowed values \(tls, ssl, starttls, default\)/
    )
  })

  it("no control character from a document reaches the terminal", () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be there
    expect(text.split("\n").every((line) => !/[\u0000-\u001f\u007f-\u009f]/.test(line))).toBe(true)
    // JSON escapes it in values; Printable.text in names (a variant's literal): visible either way.
    expect(text).toMatch(/\\u001b\[2J|\\x1b\[2J/)
  })

  it("an unchanged diff says so", () => {
    const same = Effect.runSync(SchemaDiff.diff(account, account))
    expect(DiffReport.text(same).split("\n")[0]).toBe("Schema diff: unchanged (no change to what a reader may receive)")
  })
})

describe("markdown", () => {
  const markdown = DiffReport.markdown(result)

  it("a table row per change, the breaking one's counterexample collapsed", () => {
    expect(markdown).toMatch(/^### Schema diff: breaking\n/)
    expect(markdown.match(/^\| (breaking|narrowing|safe) \|/gm)).toHaveLength(3)
    expect(markdown).toContain("<details>")
    expect(markdown.match(/<details>/g)).toHaveLength(1)
  })

  it("a hostile value stays inside its cell, span and fence", () => {
    const row = markdown.split("\n").find((line) => line.startsWith("| breaking |"))!
    // The pipe is escaped, the HTML is text, the newline never splits the row.
    expect(row).toContain("\\|&lt;/code&gt;&lt;script&gt;")
    expect(row.split(/(?<!\\)\|/).length).toBe(6)
    const fence = /^(`{4,})json\n[\s\S]*?\n\1$/m.exec(markdown)
    expect(fence, "the fence is longer than the value's backtick run").not.toBeNull()
    // Outside code (spans and fences, where HTML is text), no tag of the document's.
    const outside = markdown.replace(/^(`{3,})json\n[\s\S]*?\n\1$/gm, "").replace(/(`+)[\s\S]*?\1/g, "")
    expect(outside).not.toContain("<script>")
  })
})

describe("JSON", () => {
  const schemaPath = join(import.meta.dirname, "..", "diff.schema.json")

  it("diff.schema.json is the JSON Schema of DiffResult (run `pnpm generate` if this fails)", () => {
    expect(readFileSync(schemaPath, "utf8")).toBe(`${JSON.stringify(DiffReport.jsonSchema(), null, 2)}\n`)
  })

  it.effect("a result's JSON validates against it (and its strict form) and reads back equal", () =>
    Effect.gen(function* () {
      const json = DiffReport.toJson(result)
      for (const schema of [JSON.parse(readFileSync(schemaPath, "utf8")), DiffReport.jsonSchema({ strict: true })]) {
        const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema)
        expect(validate(JSON.parse(json)), JSON.stringify(validate.errors)).toBe(true)
      }
      expect(yield* DiffReport.fromJson(json)).toEqual(result)
      expect(JSON.parse(json).changes[0].counterexample.value.connection_params.mail.imap_encryption).toBe(hostile)
    })
  )

  it("the README's rule table is the catalogue's (run `pnpm generate` if this fails)", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8")
    expect(refreshRuleTable(readme)).toBe(readme)
    for (const rule of SchemaDiff.ruleIds) expect(readme).toMatch(new RegExp(`^\\| \`${rule}\` +\\|`, "m"))
  })
})
