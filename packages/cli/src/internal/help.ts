/**
 * `--help` for people (after gh, git and cargo): a usage line with the full
 * command path, the description, flags in groups, environment, exit codes and
 * examples, at most 100 columns wide, plain text.
 *
 * Rendered from the one description of the commands (`spec.ts`: every
 * command's `CommandDoc`, the same records the parser's declarations are
 * built from) and of the exit codes (`exitCode.ts`). A flag no group names
 * still shows, under "Other options", so a new flag is never hidden.
 *
 * @internal
 */
import * as Exit from "./exitCode.js"
import { type CommandDoc, commandName, groupsOnly } from "./spec.js"

/** No help line is wider than this. */
export const width = 100

const LABEL_COLUMN = 28

/** The first sentence of a description: what a command list shows. */
export const summaryOf = (description: string): string => {
  const text = description.replace(/\s+/g, " ").trim()
  const end = text.search(/\.(\s|$)/)
  return end === -1 ? text : text.slice(0, end)
}

/** Wraps `text` to `width` columns, the first line after `indent`, the rest after `hanging`. */
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

/**
 * Description text as authors write it: lines starting at column 0 are
 * prose, joined into paragraphs (a line ending in "." or ":" ends one) and
 * re-wrapped; indented lines are list items, wrapped with a hanging indent.
 */
const descriptionLines = (description: string): Array<string> => {
  const blocks: Array<{ indent: string; text: string }> = []
  for (const line of description.split("\n")) {
    if (line.trim() === "") continue
    const indent = /^\s*/.exec(line)?.[0] ?? ""
    const last = blocks[blocks.length - 1]
    if (indent === "" && last !== undefined && last.indent === "" && !/[.:]$/.test(last.text)) {
      last.text = `${last.text} ${line.trim()}`
    } else {
      blocks.push({ indent, text: line.trim() })
    }
  }
  return blocks.flatMap(({ indent, text }) => wrap(text, indent, indent === "" ? "" : `${indent}    `))
}

const usageLines = (doc: CommandDoc): Array<string> => {
  const name = commandName(doc.path)
  const required = doc.flags.filter((flag) => flag.required).map((flag) => flag.label)
  const args = doc.args.map((arg) => arg.label)
  const usage = groupsOnly(doc) ? [] : [`Usage: ${[name, ...required, "[options]", ...args].join(" ")}`]
  if (doc.subcommands.length > 0) usage.push(`${groupsOnly(doc) ? "Usage:" : "      "} ${name} <command> [options]`)
  return usage
}

const flagSections = (doc: CommandDoc): Array<string> => {
  const grouped = new Set(doc.groups.flatMap(([, flags]) => flags))
  const groups = [
    ...doc.groups,
    ["Other options", doc.flags.map((f) => f.name).filter((f) => !grouped.has(f))] as const
  ]
  return groups.flatMap(([title, names]) =>
    section(
      title,
      names.flatMap((name) => {
        const flag = doc.flags.find((f) => f.name === name)
        if (flag === undefined) return []
        return entryLines(flag.label, flag.required ? `${flag.description} (required)` : flag.description)
      })
    )
  )
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
export const commandHelp = (doc: CommandDoc): string =>
  [
    ...usageLines(doc),
    "",
    ...descriptionLines(doc.description),
    ...section(
      "Commands",
      doc.subcommands.flatMap((child) => {
        const name = child.path[child.path.length - 1] ?? ""
        return entryLines(name, `${summaryOf(child.description)} (see ${commandName(child.path)} --help)`)
      })
    ),
    ...section(
      "Arguments",
      doc.args.flatMap((arg) => entryLines(arg.label, arg.description))
    ),
    ...flagSections(doc),
    ...section("Options", entryLines("-h, --help", "Show this help")),
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
      ...entryLines("-h, --help", "Show help; after a command, that command's (postpress contract --help)"),
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
