/**
 * THE exit codes of `postpress`, and what each means for each command: one
 * description that `--help` (each command's "Exit codes" section, the root's
 * summary line) and the READMEs' generated tables (`pnpm generate`, checked
 * by `scripts/generated-text.test.ts`) are rendered from. Nothing else
 * writes an exit-code table.
 *
 * Every command is an `Effect<ExitCode, never>`: it prints its own lines and
 * returns its code; `Cli.run` returns it; `main.ts` exits with it.
 *
 * @internal
 */

/**
 * Every exit code of the program, by meaning. Several meanings share a number
 * (see {@link meanings}): use the name that says why.
 */
export const ExitCode = {
  ok: 0,
  /** contract, proxy, har: violations found. */
  violations: 1,
  /** accounts get: the API answered with an error status. */
  apiError: 1,
  /** mock --require-coverage: some documented behaviour was never served. */
  coverageGap: 1,
  /** schema diff: a change breaks readers of OLD (or narrows, with --fail-on narrowing). */
  breakingChange: 1,
  /** Bad flags, unwritable report path, port in use, missing key: nothing was run. */
  usage: 2,
  /** accounts get: the body does not match the schema. */
  contractViolation: 3,
  /** contract, proxy, har: nothing or not enough could be judged. */
  inconclusive: 4,
  /** accounts get: transport error, timeout, outage, body over the limit. */
  transport: 4,
  /** A bug of ours: never a verdict (1 would say "violations found"). */
  internalError: 4,
  /** 128 + the signal number, as shells report it. */
  sigint: 130,
  sigterm: 143
} as const

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** The two signals the program stops on. */
export type Signal = "SIGINT" | "SIGTERM"

/** 128 + the signal number: what a command interrupted by `signal` exits with. */
export const signalCode = (signal: Signal): ExitCode => (signal === "SIGINT" ? ExitCode.sigint : ExitCode.sigterm)

/** The three verdicts of a run that judges something (suite, proxy, HAR). */
export type Verdict = "pass" | "fail" | "inconclusive"

/** pass → 0, fail → 1 (whatever else was inconclusive), inconclusive → 4. */
export const verdictCode = (verdict: Verdict): ExitCode =>
  verdict === "pass" ? ExitCode.ok : verdict === "fail" ? ExitCode.violations : ExitCode.inconclusive

/** The commands, by path, as the tables name them. */
export type CommandPath =
  | "accounts"
  | "accounts get"
  | "contract"
  | "contract proxy"
  | "contract har"
  | "mock"
  | "schema"
  | "schema diff"

/** One row of a command's table: what `codes` mean for it (`signal`: the row about SIGINT/SIGTERM). */
export interface Meaning {
  readonly codes: ReadonlyArray<ExitCode>
  readonly meaning: string
  readonly signal?: true
}

const interrupted: Meaning = {
  codes: [ExitCode.sigint, ExitCode.sigterm],
  meaning: "stopped by SIGINT/SIGTERM",
  signal: true
}

const traffic = (usage: string): ReadonlyArray<Meaning> => [
  { codes: [ExitCode.ok], meaning: "pass: every exchange judged conforms" },
  { codes: [ExitCode.violations], meaning: "violations found (even if something else could not be judged)" },
  { codes: [ExitCode.usage], meaning: `usage error (bad flag, unwritable report path, ${usage})` },
  { codes: [ExitCode.inconclusive], meaning: "inconclusive: no exchange could be judged" }
]

/** What each code means, command by command: THE table. */
export const meanings: Readonly<Record<CommandPath, ReadonlyArray<Meaning>>> = {
  accounts: [{ codes: [ExitCode.usage], meaning: "usage error: no command or an unknown one" }],
  "accounts get": [
    { codes: [ExitCode.ok], meaning: "the account, as JSON on stdout" },
    { codes: [ExitCode.apiError], meaning: "API error: an HTTP error status (429 included)" },
    { codes: [ExitCode.usage], meaning: "usage error: bad flag or id, POSTPRESS_API_KEY not set" },
    { codes: [ExitCode.contractViolation], meaning: "contract violation: a body that does not match the schema" },
    { codes: [ExitCode.transport], meaning: "transport error, timeout, or an outage (a gateway page, not the API)" },
    interrupted
  ],
  contract: [
    { codes: [ExitCode.ok], meaning: "pass: every selected check judged what it claims" },
    { codes: [ExitCode.violations], meaning: "violations found (even if something else was inconclusive)" },
    { codes: [ExitCode.usage], meaning: "usage error (bad flag, unwritable report path, missing key)" },
    { codes: [ExitCode.inconclusive], meaning: "inconclusive: not enough could be judged (the summary says why)" },
    interrupted
  ],
  "contract proxy": [
    ...traffic("port in use"),
    { codes: [], meaning: "SIGINT/SIGTERM stop the proxy; it then exits with its verdict", signal: true }
  ],
  "contract har": traffic("a file unreadable or not a HAR"),
  mock: [
    { codes: [ExitCode.ok], meaning: "stopped by SIGINT/SIGTERM (coverage met, if required)" },
    { codes: [ExitCode.coverageGap], meaning: "coverage gap (--require-coverage)" },
    { codes: [ExitCode.usage], meaning: "usage error (bad flag, port in use)" }
  ],
  schema: [{ codes: [ExitCode.usage], meaning: "usage error: no command or an unknown one" }],
  "schema diff": [
    { codes: [ExitCode.ok], meaning: "nothing breaks readers of OLD (safe, narrowing or no change)" },
    {
      codes: [ExitCode.breakingChange],
      meaning: "a change breaks readers of OLD (narrowing too, with --fail-on narrowing)"
    },
    { codes: [ExitCode.usage], meaning: "usage error (bad flag, a file unreadable or not a document it understands)" }
  ]
}

/** The program's summary of the codes (`postpress --help`): each command's help has its table. */
export const summary: ReadonlyArray<Meaning> = [
  { codes: [ExitCode.ok], meaning: "ok" },
  { codes: [ExitCode.violations], meaning: "violations, API error or breaking change" },
  { codes: [ExitCode.usage], meaning: "usage error" },
  { codes: [ExitCode.contractViolation], meaning: "contract violation (accounts get)" },
  { codes: [ExitCode.inconclusive], meaning: "inconclusive or transport error" }
]

/** What holds for every command, beside its table. */
export const notes: ReadonlyArray<string> = [
  "Violations win: a run with any violation exits 1, whatever else was inconclusive.",
  "A bug of ours never reads as a verdict: it exits 4 with one line, `postpress <command>: internal error: …`."
]

/** `130/143`, `4`, or `` for a row that names no code. */
export const label = (meaning: Meaning): string => meaning.codes.join("/")
