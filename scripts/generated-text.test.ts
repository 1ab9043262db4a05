/**
 * The text the READMEs and the reference pages under `docs/` embed from the
 * one description of the commands and exit codes
 * (`packages/cli/src/ReadmeBlocks.ts`) is current (run `pnpm generate` when
 * this fails), sits where readers look for it (the exit codes once, in
 * docs/exit-codes.md; the help in docs/cli.md), and no document keeps a
 * hand-written exit-code table or list beside it.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { blocks, refresh, render } from "../packages/cli/src/ReadmeBlocks.js"

const root = join(import.meta.dirname, "..")

const readmes = [
  "README.md",
  ...readdirSync(join(root, "packages")).map((name) => join("packages", name, "README.md")),
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join("docs", name))
].map((file) => ({ file, text: readFileSync(join(root, file), "utf8") }))

const commands = ["accounts get", "contract", "contract proxy", "contract har", "mock", "schema diff"]

/** Where each generated block must be: the places a reader looks for exit codes and help. */
const expected: Readonly<Record<string, ReadonlyArray<string>>> = {
  "docs/exit-codes.md": ["exit-codes"],
  "docs/cli.md": ["help", ...commands.map((command) => `help-all ${command}`)]
}

describe("generated documentation text", () => {
  for (const { file, text } of readmes) {
    it(`${file}: every generated block is current (run \`pnpm generate\` if this fails)`, () => {
      for (const block of blocks(text)) expect(block.content, `${file}: ${block.spec}`).toBe(render(block.spec))
      expect(refresh(text)).toBe(text)
    })
  }

  it("each page embeds the blocks its readers look for", () => {
    for (const [file, specs] of Object.entries(expected)) {
      const text = readmes.find((readme) => readme.file === file)?.text ?? ""
      expect(blocks(text).map((block) => block.spec)).toEqual(expect.arrayContaining([...specs]))
    }
  })

  it("the exit codes live once: docs/exit-codes.md holds the only exit-code block, every command in it", () => {
    const holders = readmes.filter(({ text }) => blocks(text).some((block) => block.spec.startsWith("exit-codes")))
    expect(holders.map(({ file }) => file)).toEqual(["docs/exit-codes.md"])
    const page = holders[0]!.text
    for (const command of commands) expect(page).toContain(`### \`postpress ${command}\``)
  })

  it("no document keeps an exit-code table or list of its own outside the generated blocks", () => {
    for (const { file, text } of readmes) {
      const outside = text.replace(/<!-- generated: [^>]*-->\n[\s\S]*?<!-- \/generated -->/g, "")
      // A Markdown table whose first column is the exit code, a sentence listing the codes in bold, or a list of them.
      expect(outside, file).not.toMatch(/^\| *(code|exit) *\|/m)
      expect(outside, file).not.toMatch(/\*\*0\*\* .*\*\*1\*\*/)
      expect(outside, file).not.toMatch(/^- \*\*0\*\* .*\n- \*\*1\*\* /m)
    }
  })

  it("the page of exit codes is lists, no table wider than a page", () => {
    const all = render("exit-codes")
    expect(all).not.toMatch(/^\|/m)
    expect(all).toContain("- **4** inconclusive: no exchange could be judged")
    expect(all).toContain(
      "- **3** contract violation: a body that does not match the schema (`_tag`: `ContractViolation`)"
    )
  })

  it("a block that no longer matches the description is rewritten, and its surroundings kept", () => {
    const stale = "before\n<!-- generated: exit-codes contract har -->\n| old |\n<!-- /generated -->\nafter\n"
    const fresh = refresh(stale)
    expect(fresh).not.toBe(stale)
    expect(fresh).toBe(
      `before\n<!-- generated: exit-codes contract har -->\n${render("exit-codes contract har")}<!-- /generated -->\nafter\n`
    )
    expect(render("exit-codes contract har")).toContain(
      "| 2    | usage error (bad flag, unwritable report path, a file unreadable or not a HAR) |"
    )
    expect(() => render("exit-codes nope")).toThrow(/no command "nope"/)
  })

  it("the accounts get table names the _tag of every failure the client can return, each once", () => {
    const table = render("exit-codes accounts get")
    for (const tag of [
      "NotFound",
      "RateLimited",
      "InvalidArgument",
      "ContractViolation",
      "Outage",
      "ResponseTooLarge"
    ]) {
      expect(table.match(new RegExp(`\`${tag}\``, "g")), tag).toHaveLength(1)
    }
  })
})
