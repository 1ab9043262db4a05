/**
 * The one description of a command: its path, description, arguments, flags
 * (name, value name, description, whether required), flag groups,
 * environment and examples. The parser's declarations (`@effect/cli`
 * `Options` and `Args`) are built FROM it, `--help` is rendered from it
 * (`help.ts`), parse errors are explained with it (`parseError.ts`), and a
 * value the config Schema refuses is named by it (the record of flags is
 * keyed by the config's field names: that record is the one table from
 * Schema paths to flag names).
 *
 * The parser only sees text: every value is judged afterwards, by the
 * config Schema of the library entry point (see `decode.ts`), so a rule and
 * its message are written once.
 *
 * @internal
 */
import * as Args from "@effect/cli/Args"
import * as Options from "@effect/cli/Options"
import type * as Option from "effect/Option"

/** One flag, as help shows it and parse errors name it. */
export interface FlagDoc {
  /** `--base-url`. */
  readonly name: string
  /** `--base-url URL`, `--account-id ID...`, `--strict`. */
  readonly label: string
  readonly description: string
  /** Takes a value (`--seed N`), or is a switch (`--strict`). */
  readonly takesValue: boolean
  readonly required: boolean
}

/** A flag: its description and the parser's declaration built from it. */
export interface Flag<A> {
  readonly doc: FlagDoc
  readonly options: Options.Options<A>
}

const declare = (name: string, value: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName(value), Options.withDescription(description))

/** `--name VALUE`, optional. */
export const optional = (name: string, value: string, description: string): Flag<Option.Option<string>> => ({
  doc: { name: `--${name}`, label: `--${name} ${value}`, description, takesValue: true, required: false },
  options: Options.optional(declare(name, value, description))
})

/** `--name VALUE`, required. */
export const required = (name: string, value: string, description: string): Flag<string> => ({
  doc: { name: `--${name}`, label: `--${name} ${value}`, description, takesValue: true, required: true },
  options: declare(name, value, description)
})

/** `--name VALUE`, any number of times. */
export const repeated = (name: string, value: string, description: string): Flag<Array<string>> => ({
  doc: { name: `--${name}`, label: `--${name} ${value}...`, description, takesValue: true, required: false },
  options: Options.repeated(declare(name, value, description))
})

/** `--name`, a switch. */
export const toggle = (name: string, description: string): Flag<boolean> => ({
  doc: { name: `--${name}`, label: `--${name}`, description, takesValue: false, required: false },
  options: Options.boolean(name).pipe(Options.withDescription(description))
})

/** The parser's declarations of a record of flags, under the same keys. */
export const options = <F extends Readonly<Record<string, Flag<unknown>>>>(
  flags: F
): { readonly [K in keyof F]: F[K]["options"] } =>
  Object.fromEntries(Object.entries(flags).map(([key, flag]) => [key, flag.options])) as {
    readonly [K in keyof F]: F[K]["options"]
  }

/** One positional argument, as help shows it. */
export interface ArgDoc {
  /** `id`, `FILE`. */
  readonly name: string
  /** `<id>`, `FILE...`. */
  readonly label: string
  readonly description: string
}

/** A positional argument: its description and the parser's declaration. */
export interface Arg<A> {
  readonly doc: ArgDoc
  readonly args: Args.Args<A>
}

/** `<name>`: exactly one. */
export const argument = (name: string, description: string): Arg<string> => ({
  doc: { name, label: `<${name}>`, description },
  args: Args.text({ name }).pipe(Args.withDescription(description))
})

/** `NAME...`: one or more. */
export const oneOrMore = (name: string, description: string): Arg<Array<string>> => ({
  doc: { name, label: `${name}...`, description },
  args: Args.text({ name }).pipe(Args.withDescription(description), Args.atLeast(1))
})

/** A titled group of flag names; `"help-all"`: shown by `--help-all` only (named by `--help`). */
export type FlagGroup =
  | readonly [title: string, flags: ReadonlyArray<string>]
  | readonly [title: string, flags: ReadonlyArray<string>, shown: "help-all"]

/** Everything help, parse errors and the README say about one command. */
export interface CommandDoc {
  /** `["contract", "proxy"]`. */
  readonly path: ReadonlyArray<string>
  /**
   * Prose at column 0, joined into paragraphs (a blank line ends one; a line
   * ending in ":" before indented lines is their heading); indented lines are
   * list items. `--help` shows the first paragraph, `--help-all` all of it.
   */
  readonly description: string
  readonly args: ReadonlyArray<ArgDoc>
  readonly flags: ReadonlyArray<FlagDoc>
  /**
   * Flag names by group, most used first: `--help` shows the groups in this
   * order, except those marked `"help-all"`, which only `--help-all` shows
   * (`--help` names their flags on one line). A flag no group names shows
   * under "Other options" in `--help-all`, and is named by `--help` too.
   */
  readonly groups: ReadonlyArray<FlagGroup>
  readonly environment: ReadonlyArray<readonly [variable: string, meaning: string]>
  readonly examples: ReadonlyArray<readonly [what: string, command: string]>
  readonly subcommands: ReadonlyArray<CommandDoc>
}

/** A command's description from its flag record (and arguments), with the defaults filled in. */
export const doc = (
  path: ReadonlyArray<string>,
  parts: {
    readonly description: string
    readonly flags?: Readonly<Record<string, Flag<unknown>>>
    readonly args?: ReadonlyArray<Arg<unknown>>
    readonly groups?: CommandDoc["groups"]
    readonly environment?: CommandDoc["environment"]
    readonly examples?: CommandDoc["examples"]
    readonly subcommands?: ReadonlyArray<CommandDoc>
  }
): CommandDoc => ({
  path,
  description: parts.description,
  args: (parts.args ?? []).map((arg) => arg.doc),
  flags: Object.values(parts.flags ?? {}).map((flag) => flag.doc),
  groups: parts.groups ?? [],
  environment: parts.environment ?? [],
  examples: parts.examples ?? [],
  subcommands: parts.subcommands ?? []
})

/** The name of the command at `path`: `postpress contract proxy`. */
export const commandName = (path: ReadonlyArray<string>): string => ["postpress", ...path].join(" ")

/** The command the arguments name (`contract proxy` for `contract proxy --target …`), and its path. */
export const locate = (root: CommandDoc, args: ReadonlyArray<string>): CommandDoc => {
  let at = root
  for (const arg of args) {
    const next = at.subcommands.find((child) => child.path[child.path.length - 1] === arg)
    if (next === undefined) break
    at = next
  }
  return at
}

/** What a command can run next, as a user types it: `accounts get, contract, mock` for the root. */
export const choices = (doc: CommandDoc): ReadonlyArray<string> =>
  doc.subcommands.flatMap((child) =>
    groupsOnly(child)
      ? child.subcommands.map((grandchild) => grandchild.path.slice(doc.path.length).join(" "))
      : [child.path.slice(doc.path.length).join(" ")]
  )

/** A command that only groups others (`accounts`): it has no usage of its own but its commands'. */
export const groupsOnly = (doc: CommandDoc): boolean =>
  doc.subcommands.length > 0 && doc.flags.length === 0 && doc.args.length === 0
