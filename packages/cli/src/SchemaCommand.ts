/**
 * `postpress schema diff OLD NEW [--json | --markdown] [--fail-on SEVERITY]`:
 * can a reader built on OLD read what a server built on NEW sends? Two
 * documents `@postpress/schema` publishes (the OpenAPI 3.1 file, or a JSON
 * Schema file: account, envelopes; lenient or strict) are diffed by
 * `@postpress/schema-diff` in the reader's direction, each change under its
 * rule id, each breaking one with a counterexample (a value NEW accepts and
 * OLD rejects) and OLD's error.
 *
 * Output: text (default), `--json` (the encoding of `DiffResult`; its JSON
 * Schema is `@postpress/schema-diff/diff.schema.json`) or `--markdown` (a
 * pull-request comment), on stdout, every control character from a document
 * escaped. Exit 0 when nothing breaks (safe, narrowing, unchanged), 1 when
 * something does (from narrowing up with `--fail-on narrowing`), 2 for a
 * usage error: a file unreadable or not a document the diff understands, a
 * bad flag; ONE line `postpress schema diff: …` on stderr.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Program from "./internal/command.js"
import { decode, given } from "./internal/decode.js"
import { InvalidFlag } from "./internal/errors.js"
import { ExitCode } from "./internal/exitCode.js"
import * as Grammar from "./internal/grammar.js"
import { refuse, terminalJson, usageLine } from "./internal/output.js"
import * as Spec from "./internal/spec.js"

const oldArg = Spec.argument("OLD", "The document readers were built on (the released one).")
const newArg = Spec.argument("NEW", "The document a server will answer from.")

/** Keyed by `SchemaDiff.Config`'s fields; the output and the failing severity are the command's own. */
const flags = {
  json: Spec.toggle("json", "Print the result as JSON (its schema: @postpress/schema-diff/diff.schema.json)."),
  markdown: Spec.toggle("markdown", "Print the result as Markdown, for a pull-request comment."),
  failOn: Spec.optional(
    "fail-on",
    "SEVERITY",
    "Exit 1 from this severity up: breaking (default), or narrowing (NEW allows less: safe for readers)."
  ),
  seed: Spec.optional("seed", "N", "Seed of the counterexample search (default 42)."),
  runs: Spec.optional(
    "runs",
    "N",
    "Values generated per breaking change, aimed at it (then as many anywhere; default 200)."
  )
}

/** The flags' spelling; what the values may be is `SchemaDiff.Config`'s. */
const Grammars = Schema.Struct({
  seed: Schema.optional(Grammar.WholeNumber),
  runs: Schema.optional(Grammar.WholeNumber)
})

const diffDoc = Spec.doc(["schema", "diff"], {
  description: [
    "Judge a change of the published schema in the reader's direction: can a reader built on OLD read what a server built on NEW sends?",
    "OLD and NEW are two OpenAPI 3.1 documents (openapi.json, openapi.strict.json) or two JSON Schema files (account, error envelopes; lenient or strict).",
    "Each change is named by a stable rule id (the @postpress/schema-diff README lists them) and is breaking (OLD rejects something NEW may send), narrowing (NEW allows less) or safe.",
    "Every breaking change shows a counterexample: a value NEW accepts and OLD rejects, with OLD's error."
  ].join("\n"),
  args: [oldArg, newArg],
  flags,
  groups: [
    ["Output", ["--json", "--markdown", "--fail-on"]],
    ["Counterexamples", ["--seed", "--runs"]]
  ],
  examples: [
    [
      "Before a release: the released schema against the current one",
      "postpress schema diff packages/schema/compat/0.1.0/openapi.json packages/schema/openapi.json"
    ],
    ["In a pull request: a comment", "postpress schema diff --markdown old/openapi.json openapi.json > comment.md"],
    ["Strict: fail on narrowing too", "postpress schema diff --fail-on narrowing old.json new.json"]
  ]
})

/**
 * `postpress schema`, described once: help, parse errors and the README are rendered from this.
 *
 * @since 0.1.0
 * @category commands
 */
export const doc = Spec.doc(["schema"], {
  description: "The published schema: what changes between two versions of it.",
  subcommands: [diffDoc],
  examples: [["Compare two OpenAPI documents", "postpress schema diff old/openapi.json openapi.json"]]
})

/** The name in every error line: `postpress schema diff: …`. */
const name = "schema diff"

const config = { ...Spec.options(flags), old: oldArg.args, next: newArg.args }

const failOnOf = (text: string | undefined) =>
  text === undefined || text === "breaking" || text === "narrowing"
    ? Effect.succeed(text ?? "breaking")
    : Effect.fail(
        new InvalidFlag({ flag: "--fail-on", reason: `expected breaking or narrowing, got ${JSON.stringify(text)}` })
      )

const diff = (args: Program.Parsed<typeof config>) =>
  Effect.gen(function* () {
    if (args.json && args.markdown) return yield* refuse(name, "--json and --markdown: choose one output")
    const failOn = yield* failOnOf(args.failOn._tag === "Some" ? args.failOn.value : undefined)
    // Loaded on use: the other commands never load the diff (ajv, the generator).
    const [SchemaDiff, DiffReport] = yield* Effect.promise(() =>
      Promise.all([import("@postpress/schema-diff/SchemaDiff"), import("@postpress/schema-diff/DiffReport")])
    )
    const typed = yield* decode(Grammars, flags, given({ seed: args.seed, runs: args.runs }))
    const options = yield* decode(SchemaDiff.Config, flags, typed)
    const result = yield* SchemaDiff.diffFiles(args.old, args.next, options)
    yield* Console.log(
      args.json
        ? terminalJson(JSON.parse(DiffReport.toJson(result)), 2)
        : args.markdown
          ? DiffReport.markdown(result).trimEnd()
          : DiffReport.text(result)
    )
    const fails = result.verdict === "breaking" || (failOn === "narrowing" && result.verdict === "narrowing")
    return fails ? ExitCode.breakingChange : ExitCode.ok
  }).pipe(Effect.catchAll(usageLine(name)))

const diffCommand = Program.make("diff", config, diff)

/**
 * `postpress schema`, with `diff` below it.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Program.make("schema", {}, () =>
  refuse("schema", `missing command (${Spec.choices(doc).join(", ")}); see postpress schema --help`)
).pipe(Command.withSubcommands([diffCommand]))
