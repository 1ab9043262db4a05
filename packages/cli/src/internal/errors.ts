/**
 * What the program refuses before (or instead of) running, one tagged error
 * per case with structured fields and a derived `message`; each command
 * prints it as its one line (`output.ts`) and returns the exit code its
 * case has (usage: 2).
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/** A flag (or the variable that stood in for it) whose value a rule refused: `--seed: expected …`. */
export class InvalidFlag extends Schema.TaggedError<InvalidFlag>()("InvalidFlag", {
  /** `--seed`, `POSTPRESS_BASE_URL` when the value came from there, or `` for a rule over the whole config. */
  flag: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    // A rule over several flags together (nothing selected by --checks and --exclude-checks) names them itself.
    return this.flag === "" ? this.reason : `${this.flag}: ${this.reason}`
  }
}

/** The command line does not name what to run, or the parser refused its shape. */
export class BadCommandLine extends Schema.TaggedError<BadCommandLine>()("BadCommandLine", {
  /** The line's text: built from the command's description (`parseError.ts`), never the parser's words. */
  explanation: Schema.String
}) {
  override get message(): string {
    return this.explanation
  }
}

/** A variable the command needs is not set: `POSTPRESS_API_KEY is not set`. */
export class MissingVariable extends Schema.TaggedError<MissingVariable>()("MissingVariable", {
  variable: Schema.String,
  /** When it is needed, if not always: `--base-url (or POSTPRESS_BASE_URL) is given`. */
  when: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return this.when === undefined ? `${this.variable} is not set` : `${this.variable} must be set when ${this.when}`
  }
}

/** A variable that is set but cannot be read as text. */
export class UnreadableVariable extends Schema.TaggedError<UnreadableVariable>()("UnreadableVariable", {
  variable: Schema.String
}) {
  override get message(): string {
    return `${this.variable} cannot be read`
  }
}

/** A report path that cannot be written, found before the run: `cannot write --json x: it is a folder`. */
export class ReportPathRefused extends Schema.TaggedError<ReportPathRefused>()("ReportPathRefused", {
  flag: Schema.String,
  path: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return this.path.trim() === ""
      ? `${this.flag}: ${this.reason}`
      : `cannot write ${this.flag} ${this.path}: ${this.reason}`
  }
}

/** Two report flags that name one file, or more than one report for stdout. */
export class ReportPathsClash extends Schema.TaggedError<ReportPathsClash>()("ReportPathsClash", {
  flags: Schema.Array(Schema.String),
  /** The file both name; `-` for stdout. */
  path: Schema.String
}) {
  override get message(): string {
    return this.path === "-"
      ? `only one report can go to stdout (-); got ${this.flags.join(", ")}`
      : `${this.flags.join(" and ")} name the same file ${this.path}`
  }
}

/** One report that could not be written after the run. */
export class ReportFailure extends Schema.Class<ReportFailure>("ReportFailure")({
  flag: Schema.String,
  path: Schema.String,
  reason: Schema.String
}) {}

/** Reports that could not be written after the run (the others were). */
export class ReportsNotWritten extends Schema.TaggedError<ReportsNotWritten>()("ReportsNotWritten", {
  failures: Schema.NonEmptyArray(ReportFailure)
}) {
  override get message(): string {
    return `cannot write ${this.failures.map((f) => `${f.flag} ${f.path}: ${f.reason}`).join("; ")}`
  }
}

/** Everything that makes a command a usage error (exit 2) before it runs. */
export type UsageError =
  | InvalidFlag
  | BadCommandLine
  | MissingVariable
  | UnreadableVariable
  | ReportPathRefused
  | ReportPathsClash
