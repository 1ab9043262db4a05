/**
 * Flags into config, decoded ONCE by a Schema: what the parser read (text,
 * switches, repeated values) becomes the plain input of the command's
 * Schema (the library entry point's config Schema, composed with the flag
 * grammar of `grammar.ts`), and the first issue becomes ONE `InvalidFlag`
 * naming the flag: the command's record of flags is keyed by the config's
 * field names, so an issue's path is looked up there (the one table from
 * Schema paths to flag names).
 *
 * @internal
 */
import { ConfigRules } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { InvalidFlag } from "./errors.js"
import type { Flag } from "./spec.js"

/**
 * What the user gave: a `None` (an optional flag not typed), `false` (a
 * switch not set) and `[]` (a repeatable flag never typed) are left out, so
 * the Schema's defaults apply; `Some(text)` is its text.
 */
export const given = (parsed: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(parsed)) {
    const present = Option.isOption(value) ? Option.getOrUndefined(value) : value
    if (present === undefined || present === false) continue
    if (Array.isArray(present) && present.length === 0) continue
    out[key] = present
  }
  return out
}

/** Where values came from when not from their flag. */
export interface Naming {
  /** `{ baseUrl: "POSTPRESS_BASE_URL" }` when the variable stood in for `--base-url`. */
  readonly sources?: Readonly<Record<string, string>> | undefined
}

/** Values no command takes from a flag: the key is read from its variable only (never in argv or history). */
const variables: Readonly<Record<string, string>> = { apiKey: "POSTPRESS_API_KEY" }

/** The flag an issue's path names: the record's flag for its first key, or the variable that stood in for it. */
export const flagOf = (
  path: ReadonlyArray<PropertyKey>,
  flags: Readonly<Record<string, Flag<unknown>>>,
  naming: Naming = {}
): string => {
  if (path.length === 0) return ""
  const key = String(path[0])
  return naming.sources?.[key] ?? flags[key]?.doc.name ?? variables[key] ?? key
}

/** The first issue, as the flag it is about and the rule's message. */
export const issueFlag = (
  issues: ReadonlyArray<ConfigRules.Issue>,
  flags: Readonly<Record<string, Flag<unknown>>>,
  naming: Naming = {}
): InvalidFlag => {
  const [first] = issues
  return new InvalidFlag({
    flag: first === undefined ? "" : flagOf(first.path, flags, naming),
    reason: first?.message ?? "invalid value"
  })
}

/** The first issue of a refused decode, as the flag it is about and the rule's message. */
export const invalidFlag = (
  error: ParseResult.ParseError,
  flags: Readonly<Record<string, Flag<unknown>>>,
  naming: Naming = {}
): InvalidFlag => issueFlag(ConfigRules.issues(error), flags, naming)

/** Decodes `input` with `schema` (the library's config Schema, or a flag grammar), the first issue as an `InvalidFlag`. */
export const decode = <A, I>(
  schema: Schema.Schema<A, I>,
  flags: Readonly<Record<string, Flag<unknown>>>,
  input: unknown,
  naming: Naming = {}
): Effect.Effect<A, InvalidFlag> =>
  Effect.mapError(Schema.decodeUnknown(schema)(input), (error) => invalidFlag(error, flags, naming))

/** `values` without the given keys (what a library must not see, e.g. the report paths the CLI writes itself). */
export const omit = <K extends string>(
  values: Readonly<Record<string, unknown>>,
  keys: ReadonlyArray<K>
): Record<string, unknown> => Object.fromEntries(Object.entries(values).filter(([key]) => !keys.includes(key as K)))
