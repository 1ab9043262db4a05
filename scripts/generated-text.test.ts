/**
 * The text the READMEs embed from the one description of the commands and
 * exit codes (`packages/cli/src/ReadmeBlocks.ts`) is current (run `pnpm
 * generate` when this fails), sits where readers look for it, and no README
 * keeps a hand-written exit-code table beside it.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { blocks, refresh, render } from "../packages/cli/src/ReadmeBlocks.js"

const root = join(import.meta.dirname, "..")

const readmes = [
  "README.md",
  ...readdirSync(join(root, "packages")).map((name) => join("packages", name, "README.md"))
].map((file) => ({ file, text: readFileSync(join(root, file), "utf8") }))

/** Where each generated block must be: the places a reader looks for exit codes and help. */
const expected: Readonly<Record<string, ReadonlyArray<string>>> = {
  "README.md": [
    "exit-codes",
    "exit-codes-line accounts get",
    "exit-codes-line contract",
    "exit-codes contract proxy, contract har"
  ],
  "packages/cli/README.md": ["exit-codes", "help"],
  "packages/client/README.md": ["exit-codes accounts get"],
  "packages/contract-tests/README.md": ["exit-codes-line contract", "exit-codes contract proxy, contract har"]
}

describe("generated README text", () => {
  for (const { file, text } of readmes) {
    it(`${file}: every generated block is current (run \`pnpm generate\` if this fails)`, () => {
      for (const block of blocks(text)) expect(block.content, `${file}: ${block.spec}`).toBe(render(block.spec))
      expect(refresh(text)).toBe(text)
    })
  }

  it("each README embeds the blocks its readers look for", () => {
    for (const [file, specs] of Object.entries(expected)) {
      const text = readmes.find((readme) => readme.file === file)?.text ?? ""
      expect(blocks(text).map((block) => block.spec)).toEqual(expect.arrayContaining([...specs]))
    }
  })

  it("no README keeps an exit-code table or list of its own outside the generated blocks", () => {
    for (const { file, text } of readmes) {
      const outside = text.replace(/<!-- generated: [^>]*-->\n[\s\S]*?<!-- \/generated -->/g, "")
      // A Markdown table whose first column is the exit code, or a sentence listing the codes in bold.
      expect(outside, file).not.toMatch(/^\| *(code|exit) *\|/m)
      expect(outside, file).not.toMatch(/\*\*0\*\* .*\*\*1\*\*/)
    }
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
