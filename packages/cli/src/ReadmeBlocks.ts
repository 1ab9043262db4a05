/**
 * The text the READMEs embed, generated from the one description of the
 * commands and of the exit codes: between `<!-- generated: SPEC -->` and
 * `<!-- /generated -->`, a README holds what {@link render} makes of SPEC.
 * `pnpm generate` rewrites every block ({@link refresh}); the docs test
 * (`scripts/generated-text.test.ts`) fails while one is not current.
 *
 * SPECs:
 * - `exit-codes`: every command's codes, a heading and a list per command
 *   (with the `_tag`s of `accounts get`'s failures), and what holds for all
 *   of them (lists, so no line is a table wider than a page);
 * - `exit-codes COMMAND, COMMAND`: those commands' columns;
 * - `exit-codes accounts get`: one command's table, with the `_tag`s of
 *   each failure (the JSON line's) where the command has them;
 * - `exit-codes-line COMMAND`: the codes of one command as a sentence;
 * - `help [COMMAND]`: the `--help` text (of the program when no command);
 * - `help-all COMMAND`: the command's `--help-all` text, every flag.
 *
 * Pure text in, text out: the script that reads and writes the files is
 * `scripts/readme.ts`.
 *
 * @since 0.1.0
 */
import * as Cli from "./Cli.js"
import { exitCodeByTag } from "./internal/accountsReport.js"
import * as Exit from "./internal/exitCode.js"
import * as Help from "./internal/help.js"

/** A block as found in a README: its SPEC and what it holds now. */
export interface Block {
  readonly spec: string
  readonly content: string
}

const BLOCK = /<!-- generated: ([^>]*?) -->\n([\s\S]*?)<!-- \/generated -->/g

/**
 * Every generated block of a README's text.
 *
 * @since 0.1.0
 */
export const blocks = (text: string): ReadonlyArray<Block> =>
  [...text.matchAll(BLOCK)].map((match) => ({ spec: match[1] ?? "", content: match[2] ?? "" }))

/** `text` escaped for a Markdown table cell. */
const cell = (text: string): string => text.replaceAll("|", "\\|")

/** A Markdown table with its columns padded (as a formatter would leave it). */
const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((title, i) => Math.max(title.length, 3, ...rows.map((row) => (row[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")
}

/** Command paths (`contract proxy`), each checked to be in the exit-code table. */
const commandPaths = (paths: ReadonlyArray<string>): ReadonlyArray<Exit.CommandPath> => {
  for (const path of paths) {
    if (!(path in Exit.meanings)) throw new Error(`no command ${JSON.stringify(path)} in the exit-code table`)
  }
  return paths as ReadonlyArray<Exit.CommandPath>
}

/** The row a meaning belongs to: its codes, or the signal row for a note about signals. */
const rowOf = (meaning: Exit.Meaning): string => (meaning.signal === true ? "130/143" : Exit.label(meaning))

const rowOrder = (label: string): number => Number(label.split("/")[0])

/** One column per command, one row per code; `–` where a code means nothing for a command. */
const matrix = (paths: ReadonlyArray<Exit.CommandPath>): string => {
  const labels = [...new Set(paths.flatMap((path) => Exit.meanings[path].map(rowOf)))].sort(
    (a, b) => rowOrder(a) - rowOrder(b)
  )
  return table(
    ["code", ...paths.map((path) => `\`${path}\``)],
    labels.map((label) => [
      label,
      ...paths.map((path) => cell(Exit.meanings[path].find((m) => rowOf(m) === label)?.meaning ?? "–"))
    ])
  )
}

/** The `_tag`s of `accounts get`'s failures with this code. */
const tagsOf = (code: Exit.ExitCode): string =>
  Object.entries(exitCodeByTag)
    .filter(([, tagCode]) => tagCode === code)
    .map(([tag]) => `\`${tag}\``)
    .join(", ")

/** One command's table: code and meaning (and the failures' `_tag`s for `accounts get`). */
const single = (path: Exit.CommandPath): string => {
  const rows = Exit.meanings[path]
  if (path !== "accounts get")
    return table(
      ["code", "meaning"],
      rows.map((m) => [rowOf(m), cell(m.meaning)])
    )
  return table(
    ["code", "meaning", "`_tag`s on the JSON line"],
    rows.map((m) => [rowOf(m), cell(m.meaning), m.codes.length === 1 && m.codes[0] !== 0 ? tagsOf(m.codes[0]!) : ""])
  )
}

/** Every command a user can run, in the order help lists them. */
const allCommands = (): ReadonlyArray<Exit.CommandPath> =>
  commandPaths(Help.runnable(Cli.doc).map((doc) => doc.path.join(" ")))

/** One command's codes as a list under its heading; `accounts get` names the `_tag`s of each failure. */
const section = (path: Exit.CommandPath): string => {
  const items = Exit.meanings[path].map((m) => {
    const tags = path === "accounts get" && m.codes.length === 1 && m.codes[0] !== 0 ? tagsOf(m.codes[0]!) : ""
    return `- **${rowOf(m)}** ${m.meaning}${tags === "" ? "" : ` (\`_tag\`: ${tags})`}`
  })
  return `### \`postpress ${path}\`\n\n${items.join("\n")}`
}

/** One command's codes as a sentence: `**0** pass: …; **1** …`. */
const sentence = (path: Exit.CommandPath): string =>
  `Exit codes of \`postpress ${path}\`: ${Exit.meanings[path]
    .map((m) => (m.codes.length === 0 ? m.meaning : `**${Exit.label(m)}** ${m.meaning}`))
    .join("; ")}.`

/**
 * What a block with this SPEC holds (ending with a newline).
 *
 * @since 0.1.0
 */
export const render = (spec: string): string => {
  const [kind = "", ...rest] = spec.trim().split(" ")
  const argument = rest.join(" ")
  const listed = () => commandPaths(argument.split(",").map((path) => path.trim()))
  switch (kind) {
    case "exit-codes": {
      if (argument === "") return `${allCommands().map(section).join("\n\n")}\n\n${Exit.notes.join(" ")}\n`
      const paths = listed()
      return `${paths.length === 1 ? single(paths[0]!) : matrix(paths)}\n`
    }
    case "exit-codes-line":
      return `${sentence(listed()[0]!)}\n`
    case "help":
      return `\`\`\`text\n${Cli.helpText(argument === "" ? [] : argument.split(" "))}\n\`\`\`\n`
    case "help-all":
      return `\`\`\`text\n${Cli.helpText(argument.split(" "), "all")}\n\`\`\`\n`
    default:
      throw new Error(`unknown generated block ${JSON.stringify(spec)}`)
  }
}

/**
 * `text` with every generated block rewritten from the descriptions.
 *
 * @since 0.1.0
 */
export const refresh = (text: string): string =>
  text.replace(BLOCK, (_, spec: string) => `<!-- generated: ${spec} -->\n${render(spec)}<!-- /generated -->`)
