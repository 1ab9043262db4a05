/**
 * `SchemaDiff.diff(old, new)`: can a reader built on OLD read what a server
 * built on NEW sends? Two documents this project publishes (the OpenAPI 3.1
 * file, or the JSON Schema files: `account.schema.json`, the envelopes,
 * lenient or strict) are compared in the READER's direction, change by
 * change, each under a stable rule id (`rules`):
 *
 * - **breaking**: a server on NEW can send something a reader on OLD
 *   rejects. Every breaking change carries a counterexample: a concrete
 *   JSON value NEW's validator (ajv) accepts and OLD's rejects, generated
 *   from NEW by fast-check (seeded, aimed at the change, shrunk), with OLD's
 *   error;
 * - **narrowing**: NEW only allows less (safe for readers, worth knowing);
 * - **safe**: every NEW answer is accepted by OLD.
 *
 * ```ts
 * import { readFileSync } from "node:fs"
 * import { SchemaDiff } from "@postpress/schema-diff"
 * import { Effect } from "effect"
 *
 * const read = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"))
 * const result = await Effect.runPromise(SchemaDiff.diff(read("compat/openapi.json"), read("openapi.json")))
 * console.log(result.verdict, result.changes.map((change) => `${change.rule} ${change.path}`))
 * ```
 *
 * @since 0.1.0
 */

import type * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as ConfigRules from "@postpress/schema/ConfigRules"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Diff from "./internal/diff.js"
import { parse, Refused } from "./internal/document.js"
import { NotASchemaDocument, type Side, UnreadableDocument } from "./internal/errors.js"
import type { DiffResult } from "./internal/model.js"

export { NotASchemaDocument, Side, UnreadableDocument } from "./internal/errors.js"
export { Change, Counterexample, DiffResult, DocumentInfo, RuleId, Severity, Verdict } from "./internal/model.js"
export { type Rule, ruleIds, rules } from "./internal/rules.js"

/**
 * How hard the counterexample search looks, as a Schema: the rules of its
 * values (`runs: expected an integer from 1 to 100000, got 0`), what a
 * caller with text (the CLI's flags) decodes into.
 *
 * @since 0.1.0
 * @category models
 */
export const Config = ConfigRules.Struct({
  /** The search's seed (default 42): the same documents and seed give the same counterexamples. */
  seed: Schema.optional(ConfigRules.Integer({ minimum: -(2 ** 31), maximum: 2 ** 31 - 1 })),
  /** Values generated per change aimed at it, then as many anywhere (default 200). */
  runs: Schema.optional(ConfigRules.Integer({ minimum: 1, maximum: 100_000 }))
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Config extends Schema.Schema.Type<typeof Config> {}

/**
 * A diff's options: the search's ({@link Config}) and the files the documents came from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Config {
  /** The files the documents came from, for messages and the result. */
  readonly oldPath?: string | undefined
  readonly newPath?: string | undefined
}

/**
 * Diffs two parsed documents (OLD first).
 *
 * @since 0.1.0
 * @category diffing
 */
export const diff = (
  old: unknown,
  next: unknown,
  options: Options = {}
): Effect.Effect<DiffResult, NotASchemaDocument> =>
  Effect.suspend(() => {
    try {
      const budget = { seed: options.seed ?? 42, runs: options.runs ?? 200 }
      return Effect.succeed(
        Diff.run({ document: old, path: options.oldPath }, { document: next, path: options.newPath }, budget)
      )
    } catch (error) {
      return error instanceof NotASchemaDocument ? Effect.fail(error) : Effect.die(error)
    }
  }).pipe(Effect.withSpan("postpress.schemaDiff.diff"))

const reasons: Readonly<Record<string, string>> = { NotFound: "no such file", PermissionDenied: "permission denied" }

const reasonOf = (error: PlatformError.PlatformError): string =>
  error._tag === "SystemError" ? (reasons[error.reason] ?? error.description ?? error.reason) : error.message

const readSide = (side: Side, path: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(path)
      .pipe(Effect.mapError((error) => new UnreadableDocument({ side, path, reason: reasonOf(error) })))
    return yield* Effect.try({
      try: () => parse(text),
      catch: (error) =>
        new NotASchemaDocument({ side, path, reason: error instanceof Refused ? error.message : String(error) })
    })
  })

/**
 * Diffs two files (OLD first): what `postpress schema diff OLD NEW` runs.
 *
 * @since 0.1.0
 * @category diffing
 */
export const diffFiles = (
  oldPath: string,
  newPath: string,
  options: Omit<Options, "oldPath" | "newPath"> = {}
): Effect.Effect<DiffResult, UnreadableDocument | NotASchemaDocument, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const old = yield* readSide("OLD", oldPath)
    const next = yield* readSide("NEW", newPath)
    return yield* diff(old, next, { ...options, oldPath, newPath })
  })
