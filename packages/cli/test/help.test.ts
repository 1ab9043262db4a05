/**
 * Help that fits a screen, for EVERY command of the one description (walked
 * from `Cli.doc`, so a new command is held to the same limits): `--help` at
 * most 60 lines (the program's 30), no line wider than 100 columns, every
 * flag shown or named, every default said, and no sentence broken mid-line.
 * `--help-all` shows every flag with its description.
 */
import { describe, expect, it } from "vitest"
import { doc, helpText } from "../src/Cli.js"
import * as Help from "../src/internal/help.js"
import type { CommandDoc, FlagDoc } from "../src/internal/spec.js"

const all = (at: CommandDoc): Array<CommandDoc> => [at, ...at.subcommands.flatMap(all)]
const commands = all(doc).map((command) => ({ name: ["postpress", ...command.path].join(" "), command }))

/** A flag whose absence has a meaning to say: it takes a value that is not a file or a repeated list. */
const hasDefault = (flag: FlagDoc): boolean =>
  flag.takesValue && !flag.required && !/ (FILE|\S+\.\.\.)$/.test(flag.label)

/** The lines of one flag's entry: its label line and the description lines under it. */
const entryOf = (text: string, flag: FlagDoc): string | undefined => {
  const lines = text.split("\n")
  const start = lines.findIndex((line) => line === `  ${flag.label}` || line.startsWith(`  ${flag.label}  `))
  if (start === -1) return undefined
  const rest = lines.slice(start + 1)
  const end = rest.findIndex((line) => !line.startsWith(" ".repeat(28)))
  return [lines[start], ...rest.slice(0, end === -1 ? rest.length : end)].join(" ").replace(/\s+/g, " ")
}

/** Lines that end early (the next line's first word would have fit) without ending a sentence. */
const brokenMidSentence = (text: string): Array<string> => {
  const lines = text.split("\n")
  return lines.flatMap((line, i) => {
    const next = lines[i + 1] ?? ""
    const indent = /^ */.exec(line)?.[0].length ?? 0
    const nextIndent = /^ */.exec(next)?.[0].length ?? 0
    if (line.trim() === "" || next.trim() === "") return []
    // The next line continues this one: column 0 after column 0, or a description's hanging indent.
    const described = indent === 28 || (line.slice(26, 28) === "  " && line[28] !== " ")
    const continues = (indent === 0 && nextIndent === 0) || (described && nextIndent === 28)
    if (!continues) return []
    const firstWord = next.trim().split(" ")[0] ?? ""
    const fitted = line.length + 1 + firstWord.length <= Help.width
    return fitted && !/[.?!]$/.test(line.trim()) ? [`${line}⏎${next}`] : []
  })
}

describe("help for every command", () => {
  it.each(commands)("$name --help: at most 60 lines (root 30), 100 columns", ({ command }) => {
    const lines = helpText(command.path).split("\n")
    expect(lines.length).toBeLessThanOrEqual(command.path.length === 0 ? Help.maxRootLines : Help.maxLines)
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(Help.width)
    for (const line of helpText(command.path, "all").split("\n"))
      expect(line.length, line).toBeLessThanOrEqual(Help.width)
  })

  it.each(commands)("$name --help: every flag shown or named on the --help-all line, once", ({ command }) => {
    const text = helpText(command.path)
    const named = /^More flags[^\n]*(\n {2}[^\n]*)*/m.exec(text)?.[0] ?? ""
    if (named !== "") expect(named).toContain(`${Help.allFlag}`)
    for (const flag of command.flags) {
      const shown = entryOf(text, flag) !== undefined
      const listed = new RegExp(`(?<![\\w-])${flag.name}(?![\\w-])`).test(named.replace(/^[^:]*:/, ""))
      expect([flag.name, shown, listed]).toEqual([flag.name, !listed, !shown])
    }
  })

  it.each(commands)("$name --help-all: every flag's entry, and its default whenever it has one", ({ command }) => {
    const brief = helpText(command.path)
    const full = helpText(command.path, "all")
    for (const flag of command.flags) {
      const entry = entryOf(full, flag)
      expect(entry, flag.name).toContain(flag.description.split(" ")[0])
      if (hasDefault(flag)) {
        expect(entry, flag.name).toMatch(/default/)
        const shown = entryOf(brief, flag)
        if (shown !== undefined) expect(shown, flag.name).toMatch(/default/)
      }
    }
  })

  it.each(commands)("$name: no sentence broken mid-line (--help and --help-all)", ({ command }) => {
    expect(brokenMidSentence(helpText(command.path))).toEqual([])
    expect(brokenMidSentence(helpText(command.path, "all"))).toEqual([])
  })

  it("the mock's port default is said; the proxy's listen address and port too", () => {
    expect(helpText(["mock"])).toMatch(/--port N +Port on 127\.0\.0\.1 \(default 0: a free one/)
    expect(helpText(["contract", "proxy"])).toMatch(/--port N +Port to listen on \(default 0: a free one\)/)
    expect(helpText(["contract", "proxy"])).toMatch(/--host TEXT +Address to listen on \(default 127\.0\.0\.1\)/)
  })

  it("a paragraph is rejoined whatever the author's line breaks: the proxy's sentence about stopping stays whole", () => {
    const text = helpText(["contract", "proxy"], "all").replace(/\n(?! )/g, " ")
    expect(text).toContain("Stops on SIGINT/SIGTERM or after --max-requests: exchanges in flight get --drain to finish")
    // What it used to print: a line ending at a colon that the next words would have fitted after.
    expect(brokenMidSentence("Stops after --max-requests:\nexchanges in flight get --drain")).toHaveLength(1)
    expect(brokenMidSentence("Checks, group spec:\n  response_schema: every 200 body decodes")).toEqual([])
  })

  it("--help names what it leaves out and where it is: the contract's limits are behind --help-all", () => {
    const text = helpText(["contract"])
    expect(text).toMatch(/^More flags and the whole description \(postpress contract --help-all\): --seed, --runs,/m)
    expect(text).not.toContain("Checks, group spec:")
    expect(helpText(["contract"], "all")).toContain("Checks, group spec:")
  })
})
