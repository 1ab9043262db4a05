/**
 * What the parser refused, as ONE line naming the flag or argument: read off
 * the `ValidationError`'s tag and the command's own description (its flags,
 * whether each takes a value or is required, its arguments), never off the
 * parser's English messages.
 *
 * The parser only sees text (values are judged by the config Schemas
 * afterwards), so what it can refuse is the shape of a command line: an
 * unknown command or flag, a flag without its value, a required flag or
 * argument missing, an argument too many.
 *
 * @internal
 */
import type * as ValidationError from "@effect/cli/ValidationError"
import { type CommandDoc, choices, commandName } from "./spec.js"

/** The arguments a user typed, before a `--` that ends the options (all of them if there is none). */
export const beforeDoubleDash = (argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const end = argv.indexOf("--")
  return end === -1 ? argv : argv.slice(0, end)
}

const seeHelp = (doc: CommandDoc): string => `see ${commandName(doc.path)} --help`

const nameOf = (arg: string): string => arg.split("=")[0] ?? arg

/** The flags typed after the command's path that it does not declare. */
export const unknownFlags = (doc: CommandDoc, typed: ReadonlyArray<string>): ReadonlyArray<string> => {
  const known = new Set(["--help", "-h", ...doc.flags.map((flag) => flag.name)])
  return typed.slice(doc.path.length).filter((arg) => /^--?[A-Za-z]/.test(arg) && !known.has(nameOf(arg)))
}

/** `unknown option --x (see …)`, when some typed flag is not declared. */
const unknownOptions = (doc: CommandDoc, typed: ReadonlyArray<string>): string | undefined => {
  const unknown = unknownFlags(doc, typed)
  return unknown.length === 0
    ? undefined
    : `unknown option${unknown.length > 1 ? "s" : ""} ${unknown.join(" ")} (${seeHelp(doc)})`
}

/** `--target: expected a value (see …)`, when a flag that takes a value is the last thing typed. */
const valueMissing = (doc: CommandDoc, typed: ReadonlyArray<string>): string | undefined => {
  const last = typed[typed.length - 1]
  const flag = doc.flags.find((f) => f.takesValue && f.name === last)
  return flag === undefined ? undefined : `${flag.name}: expected a value (${seeHelp(doc)})`
}

/** `missing --target (see …)` or `missing FILE (see …)`: the first required flag or argument not typed. */
const requiredMissing = (doc: CommandDoc, typed: ReadonlyArray<string>): string | undefined => {
  const flag = doc.flags.find((f) => f.required && !typed.some((arg) => nameOf(arg) === f.name))
  if (flag !== undefined) return `missing ${flag.name} (${seeHelp(doc)})`
  // The first argument not typed: after as many as were (`schema diff OLD` misses NEW).
  const words = typed.slice(doc.path.length)
  const given = words.filter(
    (word, i) => !word.startsWith("-") && !doc.flags.some((f) => f.takesValue && f.name === words[i - 1])
  )
  const arg = doc.args[Math.min(given.length, Math.max(0, doc.args.length - 1))]
  return arg === undefined ? undefined : `missing ${arg.name} (${seeHelp(doc)})`
}

const invalidArguments = (doc: CommandDoc, typed: ReadonlyArray<string>): string =>
  `invalid arguments: ${typed.slice(doc.path.length).join(" ")} (${seeHelp(doc)})`

/**
 * The line for a command line the parser refused; `doc` is the command the
 * arguments name (the root when they name none), `args` what was typed.
 */
export const explain = (
  error: ValidationError.ValidationError,
  doc: CommandDoc,
  args: ReadonlyArray<string>
): string => {
  const typed = beforeDoubleDash(args)
  switch (error._tag) {
    case "CommandMismatch":
      if (doc.path.length === 0 && typed.length > 0 && !typed[0]?.startsWith("-")) {
        return `unknown command ${typed[0]} (${choices(doc).join(", ")}; ${seeHelp(doc)})`
      }
      return unknownOptions(doc, typed) ?? valueMissing(doc, typed) ?? invalidArguments(doc, typed)
    case "MissingValue":
    case "MissingFlag":
      return valueMissing(doc, typed) ?? requiredMissing(doc, typed) ?? invalidArguments(doc, typed)
    default:
      return unknownOptions(doc, typed) ?? invalidArguments(doc, typed)
  }
}

/** The line for arguments left over after a command parsed (`accounts get a b`). */
export const leftover = (doc: CommandDoc, args: ReadonlyArray<string>, rest: ReadonlyArray<string>): string =>
  unknownOptions(doc, beforeDoubleDash(args)) ?? `unexpected argument ${rest[0] ?? ""} (${seeHelp(doc)})`

/** Flags the parser must never act on: its built-ins that the program does not offer. */
const refusedBuiltIns = new Set(["--wizard", "--completions", "--log-level"])

/** `unknown option --wizard (see …)`, for a built-in of the parser typed anywhere (checked before parsing). */
export const refusedBuiltIn = (doc: CommandDoc, typed: ReadonlyArray<string>): string | undefined => {
  const refused = typed.find((arg) => refusedBuiltIns.has(nameOf(arg)))
  return refused === undefined ? undefined : `unknown option ${refused} (${seeHelp(doc)})`
}

/** The line for a built-in the parser matched that the program does not offer (they are refused before parsing). */
export const explainBuiltIn = (doc: CommandDoc, args: ReadonlyArray<string>): string => {
  const typed = beforeDoubleDash(args)
  return unknownOptions(doc, typed) ?? invalidArguments(doc, typed)
}
