/**
 * `--help` for people (after gh, git and cargo): a usage line with the full
 * command path, the description, flags in groups, environment, exit codes and
 * examples, at most 100 columns wide.
 *
 * One source of truth per flag: names, value names, descriptions and whether
 * a flag is required are read from the commands' own `Options` declarations
 * (through `@effect/cli`'s help document, minus the parser's filler). This file
 * only decides the ORDER (which group a flag goes in), the exit codes (from
 * the one table in `exit.ts`) and the examples. A flag no group names still
 * shows, under "Other options", so a new flag is never hidden.
 *
 * @internal
 */
import * as CliConfig from "@effect/cli/CliConfig"
import * as Descriptor from "@effect/cli/CommandDescriptor"
import type * as HelpDoc from "@effect/cli/HelpDoc"
import type * as Span from "@effect/cli/HelpDoc/Span"
import * as HashMap from "effect/HashMap"
import { ExitCode } from "./exit.js"

/** No help line is wider than this. */
export const width = 100

/** One flag or argument, as declared. */
export interface Entry {
  /** `--base-url URL`, `--strict`, `<id>`. */
  readonly label: string
  /** `--base-url`; the label for an argument. */
  readonly name: string
  readonly description: string
  readonly required: boolean
}

/** What the declarations say about one command. */
export interface Declared {
  readonly description: string
  readonly args: ReadonlyArray<Entry>
  readonly flags: ReadonlyArray<Entry>
  readonly subcommands: ReadonlyArray<readonly [name: string, descriptor: Descriptor.Command<unknown>]>
}

// The parser's own words about a value's type or optionality: true of every flag, so they say nothing.
const FILLER =
  /^(A true or false value|A floating point number|An integer|A user-defined piece of text( that is confidential)?|An existing (file or directory|file|directory)|A (file or directory|file|directory)( that must not exist)?|This setting is optional|This option can be set from environment variables|This option may be repeated|This argument must be repeated)\b/

const spanText = (span: Span.Span): string => {
  switch (span._tag) {
    case "Sequence":
      return spanText(span.left) + spanText(span.right)
    case "Text":
    case "URI":
      return span.value
    default:
      return spanText(span.value)
  }
}

const paragraphs = (doc: HelpDoc.HelpDoc): Array<string> => {
  switch (doc._tag) {
    case "Paragraph":
      return [spanText(doc.value)]
    case "Header":
      return [spanText(doc.value)]
    case "Sequence":
      return [...paragraphs(doc.left), ...paragraphs(doc.right)]
    case "Enumeration":
      return doc.elements.flatMap(paragraphs)
    case "DescriptionList":
      return doc.definitions.flatMap(([span, body]) => [spanText(span), ...paragraphs(body)])
    case "Empty":
      return []
  }
}

// The parser's default value names, for flags declared without `withPseudoName`.
const VALUE_NAMES: Readonly<Record<string, string>> = { text: "TEXT", integer: "N", float: "NUMBER" }

const entryOf = (labelSpan: Span.Span, body: HelpDoc.HelpDoc): Entry => {
  const label = spanText(labelSpan)
    .trim()
    .replace(/^(-\S+) (text|integer|float)$/, (_, flag: string, kind: string) => `${flag} ${VALUE_NAMES[kind]}`)
    // A repeated argument reads "<FILE> 1+" in the parser's words: "FILE..." in ours.
    .replace(/^<(.+)> \d+\+$/, "$1...")
  const lines = paragraphs(body)
  const optional =
    lines.some((line) => line.startsWith("This setting is optional") || line.includes("zero or more times")) ||
    !label.includes(" ")
  return {
    label,
    name: label.startsWith("-") ? (label.split(/[\s,]/)[0] ?? label) : label,
    description: lines
      .filter((line) => !FILLER.test(line))
      .join(" ")
      .trim(),
    required: label.startsWith("-") ? !optional : true
  }
}

/** Walks the command's help document: description, then ARGUMENTS and OPTIONS lists, stopping at COMMANDS. */
export const declared = (descriptor: Descriptor.Command<unknown>): Declared => {
  const config = CliConfig.make({ showBuiltIns: false })
  const description: Array<string> = []
  const args: Array<Entry> = []
  const flags: Array<Entry> = []
  let section = ""
  const walk = (doc: HelpDoc.HelpDoc): void => {
    switch (doc._tag) {
      case "Sequence":
        walk(doc.left)
        walk(doc.right)
        return
      case "Header":
        section = spanText(doc.value)
        return
      case "Paragraph":
        if (section === "DESCRIPTION") description.push(spanText(doc.value))
        return
      case "DescriptionList":
        for (const [label, body] of doc.definitions) {
          if (section === "ARGUMENTS") args.push(entryOf(label, body))
          else if (section === "OPTIONS") flags.push(entryOf(label, body))
        }
        return
      default:
        return
    }
  }
  walk(Descriptor.getHelp(descriptor, config))
  return {
    description: description.join("\n"),
    args,
    flags,
    subcommands: [...HashMap.toEntries(Descriptor.getSubcommands(descriptor))].filter(
      ([name]) =>
        // A command lists itself among its "subcommands" when it has none.
        !Descriptor.getNames(descriptor).pipe((names) => [...names].includes(name))
    )
  }
}

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

const LABEL_COLUMN = 28

const entryLines = (entry: Entry): Array<string> => {
  const label = `  ${entry.label}`
  const description = entry.required ? `${entry.description} (required)` : entry.description
  if (description === "") return [label]
  if (label.length + 2 <= LABEL_COLUMN) {
    return wrap(description, label.padEnd(LABEL_COLUMN), " ".repeat(LABEL_COLUMN))
  }
  return [label, ...wrap(description, " ".repeat(LABEL_COLUMN))]
}

/** How one command's help is laid out: flag groups by name, environment, exit codes, examples. */
export interface Layout {
  readonly groups: ReadonlyArray<readonly [title: string, flags: ReadonlyArray<string>]>
  readonly environment?: ReadonlyArray<readonly [name: string, meaning: string]>
  readonly exitCodes: ReadonlyArray<readonly [code: number | string, meaning: string]>
  readonly examples: ReadonlyArray<readonly [what: string, command: string]>
}

const traffic = (what: string, usage: string): Layout["exitCodes"] => [
  [ExitCode.ok, `pass: every ${what} judged conforms`],
  [ExitCode.violations, "violations found (even if something else could not be judged)"],
  [ExitCode.usage, `usage error (bad flag, unwritable report path, ${usage})`],
  [ExitCode.inconclusive, `inconclusive: no ${what} could be judged`]
]

/** The layouts of every command, by command path. */
export const layouts: Readonly<Record<string, Layout>> = {
  accounts: {
    groups: [],
    exitCodes: [[ExitCode.usage, "usage error: no command or an unknown one"]],
    examples: [["Print one account", "postpress accounts get acc_123"]]
  },
  "accounts get": {
    groups: [
      ["Target", ["--base-url", "--timeout", "--max-retries"]],
      ["Output", ["--pretty"]]
    ],
    environment: [
      ["POSTPRESS_API_KEY", "the API key (required; never a flag, so it stays out of shell history)"],
      ["POSTPRESS_BASE_URL", "the API base URL when --base-url is not given"]
    ],
    exitCodes: [
      [ExitCode.ok, "the account, as JSON on stdout"],
      [ExitCode.apiError, "API error: an HTTP error status (429 included)"],
      [ExitCode.usage, "usage error: bad flag or id, POSTPRESS_API_KEY not set"],
      [ExitCode.contractViolation, "contract violation: a body that does not match the schema"],
      [ExitCode.transport, "transport error, timeout, or an outage (a gateway page, not the API)"],
      ["130/143", "stopped by SIGINT/SIGTERM"]
    ],
    examples: [
      ["Print one account, indented", "postpress accounts get --pretty acc_123"],
      ["An id that starts with a dash", "postpress accounts get -- -odd-id"]
    ]
  },
  contract: {
    groups: [
      ["Target", ["--base-url", "--account-id", "--foreign-account-id"]],
      ["Selection", ["--checks", "--exclude-checks", "--strict", "--require-variants", "--fail-on-drift"]],
      ["Generated inputs", ["--seed", "--runs"]],
      ["Pacing", ["--timeout", "--concurrency", "--rate-limit", "--max-response-time", "--max-body-size"]],
      ["Reports", ["--json", "--junit", "--html"]]
    ],
    environment: [
      ["POSTPRESS_API_KEY", "the API key (required with --base-url; never a flag)"],
      ["POSTPRESS_BASE_URL", "the server when --base-url is not given"],
      ["POSTPRESS_ACCOUNT_IDS", "comma-separated account ids when --account-id is not given"]
    ],
    exitCodes: [
      [ExitCode.ok, "pass: every selected check judged what it claims"],
      [ExitCode.violations, "violations found (even if something else was inconclusive)"],
      [ExitCode.usage, "usage error (bad flag, unwritable report path, missing key)"],
      [ExitCode.inconclusive, "inconclusive: not enough could be judged (the summary says why)"],
      ["130/143", "stopped by SIGINT/SIGTERM"]
    ],
    examples: [
      ["Against the embedded mock", "postpress contract"],
      [
        "In CI, against staging",
        "postpress contract --base-url https://staging.example.com/api --account-id acc_1 \\\n" +
          "    --junit reports/contract.xml --json reports/contract.json --html reports/contract.html"
      ],
      ["Only the security checks", "postpress contract --base-url URL --account-id acc_1 --checks security"]
    ]
  },
  "contract proxy": {
    groups: [
      ["Target", ["--target", "--host", "--port"]],
      ["Judging", ["--strict", "--fail-on-drift", "--max-requests", "--max-body-size"]],
      ["Reports", ["--json", "--junit", "--html", "--har"]]
    ],
    environment: [["POSTPRESS_API_KEY", "optional: also looked for in answers, and masked everywhere"]],
    exitCodes: [
      ...traffic("exchange", "port in use"),
      ["", "SIGINT/SIGTERM stop the proxy; it then exits with its verdict"]
    ],
    examples: [
      [
        "Judge your app's traffic to staging",
        "postpress contract proxy --target https://staging.example.com/api --port 8080 --har traffic.har"
      ]
    ]
  },
  "contract har": {
    groups: [
      ["Target", ["--base-url"]],
      ["Judging", ["--strict", "--fail-on-drift", "--max-body-size"]],
      ["Reports", ["--json", "--junit", "--html"]]
    ],
    environment: [
      ["POSTPRESS_BASE_URL", "the base URL when --base-url is not given"],
      ["POSTPRESS_API_KEY", "optional: also looked for in answers, and masked everywhere"]
    ],
    exitCodes: traffic("exchange", "a file unreadable or not a HAR"),
    examples: [
      ["Judge a browser recording", "postpress contract har --base-url https://api.postpress.ai/api recording.har"]
    ]
  },
  mock: {
    groups: [
      ["Server", ["--port", "--seed", "--workspaces"]],
      ["Faults", ["--fault-rate", "--faults", "--latency", "--retry-after"]],
      ["Coverage", ["--require-coverage", "--coverage", "--coverage-html"]]
    ],
    exitCodes: [
      [ExitCode.ok, "stopped by SIGINT/SIGTERM (coverage met, if required)"],
      [ExitCode.coverageGap, "coverage gap (--require-coverage)"],
      [ExitCode.usage, "usage error (bad flag, port in use)"]
    ],
    examples: [
      ["A mock on port 4010", "postpress mock --port 4010"],
      ["One answer in ten a 503 or 504", "postpress mock --fault-rate 0.1"],
      [
        "In CI: exit 1 on stop if the tests never met a type, error or behaviour",
        "postpress mock --port 4010 --coverage mock-coverage.json \\\n    --require-coverage types,errors,behaviours"
      ]
    ]
  }
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
  for (const line of description
    // Exit codes have one table (exit.ts), shown in their own section.
    .replace(/\s*Exit codes:[^\n]*/g, "")
    .split("\n")) {
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

/** The help of the command at `path` (`[]` for the root is not this: see {@link rootHelp}). */
export const commandHelp = (path: ReadonlyArray<string>, descriptor: Descriptor.Command<unknown>): string => {
  const name = ["postpress", ...path].join(" ")
  const info = declared(descriptor)
  const layout: Layout = layouts[path.join(" ")] ?? { groups: [], exitCodes: [], examples: [] }
  const required = info.flags.filter((flag) => flag.required).map((flag) => flag.label)
  const args = info.args.map((arg) => arg.label)
  // A command that only groups others (`accounts`) has one usage: its commands.
  const groupOnly = info.subcommands.length > 0 && info.flags.length === 0 && info.args.length === 0
  const usage = groupOnly ? [] : [`Usage: ${[name, ...required, "[options]", ...args].join(" ")}`]
  if (info.subcommands.length > 0) usage.push(`${groupOnly ? "Usage:" : "      "} ${name} <command> [options]`)
  const grouped = new Set(layout.groups.flatMap(([, flags]) => flags))
  const groups = [
    ...layout.groups,
    ["Other options", info.flags.map((flag) => flag.name).filter((flag) => !grouped.has(flag))] as const
  ].flatMap(([title, names]) =>
    section(
      title,
      names.flatMap((flagName) => {
        const entry = info.flags.find((flag) => flag.name === flagName)
        return entry === undefined ? [] : entryLines(entry)
      })
    )
  )
  const lines = [
    ...usage,
    "",
    ...descriptionLines(info.description),
    ...section(
      "Commands",
      info.subcommands.flatMap(([sub, child]) =>
        entryLines({
          label: sub,
          name: sub,
          description: `${summaryOf(declared(child).description)} (see ${name} ${sub} --help)`,
          required: false
        })
      )
    ),
    ...section(
      "Arguments",
      info.args.flatMap((arg) => entryLines({ ...arg, required: false }))
    ),
    ...groups,
    ...section(
      "Options",
      entryLines({ label: "-h, --help", name: "--help", description: "Show this help", required: false })
    ),
    ...section(
      "Environment",
      (layout.environment ?? []).flatMap(([variable, meaning]) =>
        entryLines({ label: variable, name: variable, description: meaning, required: false })
      )
    ),
    ...section(
      "Exit codes",
      layout.exitCodes.flatMap(([code, meaning]) => wrap(meaning, `  ${String(code).padEnd(8)}`, " ".repeat(10)))
    ),
    ...section(
      "Examples",
      layout.examples.flatMap(([what, command]) => [`  # ${what}`, ...command.split("\n").map((l) => `  ${l}`)])
    )
  ]
  return lines.join("\n")
}

/** `postpress --help`: the commands, global flags, environment, exit codes and where to read more. */
export const rootHelp = (
  version: string,
  summary: string,
  commands: ReadonlyArray<readonly [path: string, description: string]>
): string =>
  [
    `postpress ${version}: ${summary}`,
    "",
    "Usage: postpress <command> [options]",
    ...section(
      "Commands",
      commands.flatMap(([path, description]) =>
        entryLines({ label: path, name: path, description: summaryOf(description), required: false })
      )
    ),
    ...section("Options", [
      ...entryLines({
        label: "-h, --help",
        name: "--help",
        description: "Show help; after a command, that command's (postpress contract --help)",
        required: false
      }),
      ...entryLines({ label: "--version", name: "--version", description: "Print the version", required: false })
    ]),
    ...section("Environment", [
      ...entryLines({
        label: "POSTPRESS_API_KEY",
        name: "",
        description: "the API key; never a flag, so it stays out of shell history and process lists",
        required: false
      }),
      ...entryLines({
        label: "POSTPRESS_BASE_URL",
        name: "",
        description: "the API base URL when --base-url is not given",
        required: false
      })
    ]),
    ...section(
      "Exit codes",
      wrap(
        `${ExitCode.ok} ok, ${ExitCode.violations} violations or API error, ${ExitCode.usage} usage error, ` +
          `${ExitCode.contractViolation} contract violation (accounts get), ${ExitCode.inconclusive} inconclusive ` +
          "or transport error; each command's --help has its table.",
        "  "
      )
    ),
    ...section("Examples", [
      "  postpress accounts get --pretty acc_123",
      "  postpress contract --base-url https://staging.example.com/api --account-id acc_1",
      "  postpress mock --port 4010"
    ])
  ].join("\n")
