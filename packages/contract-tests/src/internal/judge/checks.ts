/**
 * The check catalogue: every check's name, group, description and how
 * `--checks` / `--exclude-checks` select them (the selectors as a Schema,
 * the unknown-name message and the nothing-selected rule, each written
 * once for the library and the CLI). The judge names its findings with
 * these; the `ContractCheck` face exports them.
 *
 * @since 0.1.0
 */
import { Printable } from "@postpress/schema"
import * as Schema from "effect/Schema"

/**
 * Every check, in report order.
 *
 * @since 0.1.0
 * @category constants
 */
export const checkNames = [
  "response_schema",
  "known_accounts",
  "variant_coverage",
  "error_envelope",
  "status_code",
  "content_type",
  "missing_credentials",
  "invalid_credentials",
  "not_found",
  "object_level_authorization",
  "hostile_ids",
  "not_a_server_error",
  "key_not_reflected",
  "response_time",
  "near_miss_keys",
  "path_confusion",
  "credential_placement"
] as const

/**
 * @since 0.1.0
 * @category models
 */
export type CheckName = (typeof checkNames)[number]

/**
 * The checks that judge every response rather than sending requests.
 *
 * @since 0.1.0
 * @category constants
 */
export const responseChecks: ReadonlyArray<CheckName> = [
  "response_schema",
  "error_envelope",
  "status_code",
  "content_type",
  "not_a_server_error",
  "key_not_reflected",
  "response_time"
]

/**
 * One line per check, used by `--help`, the report and the README.
 *
 * @since 0.1.0
 * @category constants
 */
export const descriptions: { readonly [C in CheckName]: string } = {
  response_schema: "every 200 body decodes as Account (extra fields allowed unless --strict)",
  known_accounts: "each known account id answers 200 and body.id equals the id as given",
  variant_coverage: "which account types were seen (fails only with --require-variants)",
  error_envelope:
    "every non-2xx body is an error envelope whose status is the HTTP status and whose type is of that tier",
  status_code: "only documented statuses are answered",
  content_type: "application/json (application/problem+json accepted for errors)",
  missing_credentials: "no API key answers 401 errors/missing_credentials",
  invalid_credentials: "a random wrong key answers 401 with a 401-tier type, never 200",
  not_found: "generated unknown ids answer 404 with a 404-tier type",
  object_level_authorization: "ids of another workspace answer 404, never 200 or 401",
  hostile_ids: "hostile ids answer a documented status (never 500); a 200 names the id as given",
  not_a_server_error: "no request provokes a 500 (or another 5xx than 503/504)",
  key_not_reflected: "the API key never appears in a response header or body",
  response_time: "every answer arrives within --max-response-time (not run without it)",
  near_miss_keys:
    "variants of the real key (cut short, a character appended, letter case changed, wrapped in no-break spaces) answer 401 like an unknown key",
  path_confusion:
    "a known id with an extra segment, a trailing slash, a ;param or encoded twice is never served as that account (404, or 400)",
  credential_placement:
    "the key in a query parameter (api_key, x-api-key) answers 401 missing_credentials; the key header in other letter case is accepted"
}

/**
 * The check groups: `spec` for the spec's own rules, `security` for the
 * probes beyond its words.
 *
 * @since 0.1.0
 * @category constants
 */
export const checkGroups = ["spec", "security"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type CheckGroup = (typeof checkGroups)[number]

/**
 * What `--checks` / `--exclude-checks` accept: a check or a group.
 *
 * @since 0.1.0
 * @category models
 */
export type CheckSelector = CheckName | CheckGroup

/**
 * The group of each check.
 *
 * @since 0.1.0
 * @category constants
 */
export const groupOf: { readonly [C in CheckName]: CheckGroup } = {
  response_schema: "spec",
  known_accounts: "spec",
  variant_coverage: "spec",
  error_envelope: "spec",
  status_code: "spec",
  content_type: "spec",
  missing_credentials: "spec",
  invalid_credentials: "spec",
  not_found: "spec",
  object_level_authorization: "spec",
  hostile_ids: "spec",
  not_a_server_error: "spec",
  key_not_reflected: "spec",
  response_time: "spec",
  near_miss_keys: "security",
  path_confusion: "security",
  credential_placement: "security"
}

/**
 * The checks of a group, in report order.
 *
 * @since 0.1.0
 * @category accessors
 */
export const checksOf = (group: CheckGroup): ReadonlyArray<CheckName> => checkNames.filter((c) => groupOf[c] === group)

/**
 * `true` when `name` is a group name.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isCheckGroup = (name: string): name is CheckGroup => (checkGroups as ReadonlyArray<string>).includes(name)

/**
 * `true` when `name` is a check name.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isCheckName = (name: string): name is CheckName => (checkNames as ReadonlyArray<string>).includes(name)

const expand = (names: ReadonlyArray<string>): ReadonlyArray<CheckName> =>
  names.flatMap((name) => (isCheckGroup(name) ? checksOf(name) : isCheckName(name) ? [name] : []))

/**
 * Resolves `--checks` / `--exclude-checks` (check or group names) into the
 * selected set and the excluded checks, group names expanded. Unknown names
 * are returned separately so callers can report a usage error.
 *
 * @since 0.1.0
 * @category selection
 */
export const select = (
  only: ReadonlyArray<string> | undefined,
  exclude: ReadonlyArray<string> | undefined
): {
  readonly selected: ReadonlySet<CheckName>
  readonly excluded: ReadonlySet<CheckName>
  readonly unknown: ReadonlyArray<string>
} => {
  const unknown = [...(only ?? []), ...(exclude ?? [])].filter((name) => !isCheckName(name) && !isCheckGroup(name))
  const wanted = new Set(expand(only ?? []))
  const base = only === undefined || only.length === 0 ? checkNames : checkNames.filter((c) => wanted.has(c))
  const excluded = new Set(expand(exclude ?? []))
  return { selected: new Set(base.filter((c) => !excluded.has(c))), excluded, unknown }
}

/**
 * `true` when `name` is a check or a group name.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isCheckSelector = (name: unknown): name is CheckSelector =>
  typeof name === "string" && (isCheckName(name) || isCheckGroup(name))

/** Unknown names shown at most this many, each at most this long: the message stays one short line. */
const MAX_UNKNOWN_SHOWN = 3
const MAX_NAME_SHOWN = 40

/**
 * What is said of names that are neither a check nor a group: at most three
 * of them, each cut at 40 characters and escaped (`Printable.text`: they
 * were typed, and a terminal shows them), then the groups and where the
 * checks are listed. ONE short line whatever was given.
 *
 * @since 0.1.0
 * @category selection
 */
export const unknownChecksMessage = (unknown: ReadonlyArray<string>): string => {
  const shown = unknown
    .slice(0, MAX_UNKNOWN_SHOWN)
    .map((name) => Printable.text(name.length > MAX_NAME_SHOWN ? `${name.slice(0, MAX_NAME_SHOWN)}…` : name))
  const more = unknown.length > MAX_UNKNOWN_SHOWN ? ` and ${unknown.length - MAX_UNKNOWN_SHOWN} more` : ""
  return `unknown check${unknown.length > 1 ? "s" : ""} ${shown.join(", ")}${more}; groups: ${checkGroups.join(", ")}; the checks are listed by postpress contract --help`
}

/**
 * Check and group names, as `checks` / `excludeChecks` (`--checks`,
 * `--exclude-checks`) take them: any other name is refused with
 * {@link unknownChecksMessage}, every unknown name of the list at once.
 *
 * @since 0.1.0
 * @category selection
 */
export const CheckSelectors: Schema.Schema<ReadonlyArray<CheckSelector>> = Schema.declare(
  (input: unknown): input is ReadonlyArray<CheckSelector> => Array.isArray(input) && input.every(isCheckSelector),
  {
    identifier: "CheckSelectors",
    description: `check names or groups (${checkGroups.join(", ")})`,
    message: (issue) => ({
      message: Array.isArray(issue.actual)
        ? unknownChecksMessage(issue.actual.filter((name) => !isCheckSelector(name)).map(String))
        : "must be a list of check names or groups",
      override: true
    })
  }
)

/**
 * THE rule of a selection: it must leave at least one check to run (a run
 * that selects nothing would judge nothing), else this message.
 *
 * @since 0.1.0
 * @category selection
 */
export const nothingSelectedMessage = "no check selected: --checks and --exclude-checks leave nothing to run"

/**
 * `true` when `--checks` minus `--exclude-checks` leaves a check to run.
 *
 * @since 0.1.0
 * @category selection
 */
export const selectsSomething = (
  only: ReadonlyArray<string> | undefined,
  exclude: ReadonlyArray<string> | undefined
): boolean => select(only, exclude).selected.size > 0
