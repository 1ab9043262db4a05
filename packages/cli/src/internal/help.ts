/**
 * `--help` for people (after gh, git and cargo): a usage line with the full
 * command path, the description, flags in groups, environment, exit codes and
 * examples, at most {@link width} columns wide, plain text, wrapped at word
 * boundaries only.
 *
 * Two lengths, one description: `--help` fits a screen (at most
 * {@link maxLines} lines, the program's {@link maxRootLines}): the first
 * paragraph of the description and the flag groups not marked `"help-all"`,
 * in their declared order (most used first); the flags it leaves out are
 * NAMED on one line that points at `--help-all`, which shows everything
 * (the whole description, every group, "Other options" for a flag no group
 * names). Rendered from the one description of the commands (`spec.ts`:
 * every command's `CommandDoc`, the same records the parser's declarations
 * are built from) and of the exit codes (`exitCode.ts`), so a new flag is
 * never hidden: at worst it is named.
 *
 * @internal
 */
import * as Exit from "./exitCode.js"
import { type CommandDoc, commandName, type FlagDoc, groupsOnly } from "./spec.js"

/** No help line is wider than this. */
export const width = 100

/** `postpress <command> --help` is at most this long. */
export const maxLines = 60

/** `postpress --help` is at most this long. */
export const maxRootLines = 30

const LABEL_COLUMN = 28

/** How much help: `brief` for `--help`, `all` for `--help-all`. */
export type Detail = "brief" | "all"

/** The flag that shows every flag and the whole description. */
export const allFlag = "--help-all"

const firstSentence = (text: string): string => {
  const end = text.search(/[.?!](\s|$)/)
  return end === -1 ? text : text.slice(0, text[end] === "." ? end : end + 1)
}

/**
 * What a command list shows of a description: its first sentence, or, when
 * that does not fit one line of the list, the sentence's head before its
 * first ": " or " (" (a whole phrase: "A validating proxy"), never a cut.
 */
export const summaryOf = (description: string): string => {
  const sentence = firstSentence(description.replace(/\s+/g, " ").trim())
  if (sentence.length <= width - LABEL_COLUMN) return sentence
  const head = sentence.search(/: | \(/)
  return head > 0 ? sentence.slice(0, head) : sentence
}

/** Wraps `text` to `width` columns at spaces, the first line after `indent`, the rest after `hanging`. */
export const wrap = (text: string, indent: string, hanging: string = indent): Array<string> => {
  const out: Array<string> = []
  let line = indent
  let empty = true
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (!empty && line.length + 1 + word.length > width) {
      out.push(line)
      line = hanging + word
    } else {
      line = empty ? line + word : `${line} ${word}`
    }
    empty = false
  }
  out.push(line)
  return out
}

/** A label and its description in two columns (the description under the label when the label is long). */
const entryLines = (label: string, description: string): Array<string> => {
  const indented = `  ${label}`
  if (description === "") return [indented]
  if (indented.length + 2 <= LABEL_COLUMN) {
    return wrap(description, indented.padEnd(LABEL_COLUMN), " ".repeat(LABEL_COLUMN))
  }
  return [indented, ...wrap(description, " ".repeat(LABEL_COLUMN))]
}

const section = (title: string, lines: ReadonlyArray<string>): Array<string> =>
  lines.length === 0 ? [] : ["", `${title}:`, ...lines]

interface Block {
  readonly indent: string
  text: string
  /** A blank line came before it: it starts a new paragraph. */
  readonly afterBlank: boolean
}

/**
 * Description text as authors write it, in blocks: lines starting at column
 * 0 are prose, joined into one paragraph until a blank line, an indented
 * line or a heading (a line ending in ":" before indented lines); indented
 * lines are list items.
 */
const descriptionBlocks = (description: string): Array<Block> => {
  const lines = description.split("\n")
  const blocks: Array<Block> = []
  let afterBlank = false
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") {
      afterBlank = true
      continue
    }
    const indent = /^\s*/.exec(line)?.[0] ?? ""
    const last = blocks[blocks.length - 1]
    const heading = indent === "" && line.trim().endsWith(":") && /^\s+\S/.test(lines[index + 1] ?? "")
    if (!afterBlank && !heading && indent === "" && last !== undefined && last.indent === "") {
      last.text = `${last.text} ${line.trim()}`
    } else {
      blocks.push({ indent, text: line.trim(), afterBlank: afterBlank || heading })
    }
    afterBlank = false
  }
  return blocks
}

/** The description: its first paragraph (`brief`), or all of it with a blank line between paragraphs. */
const descriptionLines = (description: string, detail: Detail): Array<string> => {
  const blocks = descriptionBlocks(description)
  const shown = detail === "all" ? blocks : blocks.slice(0, 1)
  return shown.flatMap(({ indent, text, afterBlank }, index) => [
    ...(afterBlank && index > 0 ? [""] : []),
    ...wrap(text, indent, indent === "" ? "" : `${indent}    `)
  ])
}

const usageLines = (doc: CommandDoc): Array<string> => {
  const name = commandName(doc.path)
  const required = doc.flags.filter((flag) => flag.required).map((flag) => flag.label)
  const args = doc.args.map((arg) => arg.label)
  const usage = groupsOnly(doc) ? [] : [`Usage: ${[name, ...required, "[options]", ...args].join(" ")}`]
  if (doc.subcommands.length > 0) usage.push(`${groupsOnly(doc) ? "Usage:" : "      "} ${name} <command> [options]`)
  return usage
}

/** The groups `detail` shows, in order, and the flags of the command it leaves out. */
export const flagGroups = (
  doc: CommandDoc,
  detail: Detail
): {
  readonly shown: ReadonlyArray<readonly [string, ReadonlyArray<FlagDoc>]>
  readonly left: ReadonlyArray<FlagDoc>
} => {
  const flagsOf = (names: ReadonlyArray<string>) =>
    names.flatMap((name) => doc.flags.filter((flag) => flag.name === name))
  const grouped = new Set(doc.groups.flatMap(([, names]) => names))
  const all = [
    ...doc.groups.map((group) => [group[0], flagsOf(group[1]), group[2] === undefined] as const),
    ["Other options", doc.flags.filter((flag) => !grouped.has(flag.name)), false] as const
  ]
  const shown = all.filter(([, flags, brief]) => flags.length > 0 && (detail === "all" || brief))
  const inView = new Set(shown.flatMap(([, flags]) => flags.map((flag) => flag.name)))
  return {
    shown: shown.map(([title, flags]) => [title, flags] as const),
    left: doc.flags.filter((flag) => !inView.has(flag.name))
  }
}

const flagSections = (doc: CommandDoc, detail: Detail): Array<string> =>
  flagGroups(doc, detail).shown.flatMap(([title, flags]) =>
    section(
      title,
      flags.flatMap((flag) =>
        entryLines(flag.label, flag.required ? `${flag.description} (required)` : flag.description)
      )
    )
  )

/** `--help`'s pointer at what it leaves out: the flags it only names, or the rest of the description. */
const moreLines = (doc: CommandDoc, detail: Detail): Array<string> => {
  if (detail === "all") return []
  const left = flagGroups(doc, "brief").left.map((flag) => flag.name)
  const rest = descriptionBlocks(doc.description).length > 1 ? "the whole description" : ""
  if (left.length === 0 && rest === "") return []
  const what = left.length === 0 ? rest : `More flags${rest === "" ? "" : ` and ${rest}`}`
  return [
    "",
    ...wrap(`${what} (${commandName(doc.path)} ${allFlag})${left.length === 0 ? "" : `: ${left.join(", ")}`}`, "", "  ")
  ]
}

/** The "Exit codes" lines of a command: its rows of THE table. */
export const exitCodeLines = (path: ReadonlyArray<string>): Array<string> =>
  (Exit.meanings[path.join(" ") as Exit.CommandPath] ?? []).flatMap((row) =>
    wrap(row.meaning, `  ${Exit.label(row).padEnd(8)}`, " ".repeat(10))
  )

const exampleLines = (examples: CommandDoc["examples"]): Array<string> =>
  examples.flatMap(([what, command]) => [
    ...(what === "" ? [] : [`  # ${what}`]),
    ...command.split("\n").map((line) => `  ${line}`)
  ])

/** The help of the command `doc` describes (not the root's: see {@link rootHelp}). */
export const commandHelp = (doc: CommandDoc, detail: Detail = "brief"): string =>
  [
    ...usageLines(doc),
    "",
    ...descriptionLines(doc.description, detail),
    ...section(
      `Commands (${commandName(doc.path)} <command> --help)`,
      doc.subcommands.flatMap((child) =>
        entryLines(child.path[child.path.length - 1] ?? "", summaryOf(child.description))
      )
    ),
    ...section(
      "Arguments",
      doc.args.flatMap((arg) => entryLines(arg.label, arg.description))
    ),
    ...flagSections(doc, detail),
    ...moreLines(doc, detail),
    ...section(
      "Environment",
      doc.environment.flatMap(([variable, meaning]) => entryLines(variable, meaning))
    ),
    ...section("Exit codes", exitCodeLines(doc.path)),
    ...section("Examples", exampleLines(doc.examples))
  ].join("\n")

/** Every command a user can run below `doc`, depth first (a command that only groups others is not one). */
export const runnable = (doc: CommandDoc): Array<CommandDoc> =>
  doc.subcommands.flatMap((child) => [...(groupsOnly(child) ? [] : [child]), ...runnable(child)])

/** `postpress --help`: the commands, global flags, environment, exit codes and examples. */
export const rootHelp = (version: string, root: CommandDoc): string =>
  [
    `postpress ${version}: ${root.description}`,
    "",
    "Usage: postpress <command> [options]",
    ...section(
      "Commands",
      runnable(root).flatMap((doc) => entryLines(doc.path.join(" "), summaryOf(doc.description)))
    ),
    ...section("Options", [
      ...entryLines("-h, --help", `Show help; after a command, its help (${allFlag}: every flag)`),
      ...entryLines("--version", "Print the version")
    ]),
    ...section(
      "Environment",
      root.environment.flatMap(([variable, meaning]) => entryLines(variable, meaning))
    ),
    ...section(
      "Exit codes",
      wrap(
        `${Exit.summary.map((row) => `${Exit.label(row)} ${row.meaning}`).join(", ")}; each command's --help has its table.`,
        "  "
      )
    ),
    ...section("Examples", exampleLines(root.examples))
  ].join("\n")
