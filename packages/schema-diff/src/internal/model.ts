/**
 * The result of a diff as Effect Schemas: what `--json` writes is their
 * encoding, and the published `diff.schema.json` is generated from them.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { ruleIds } from "./rules.js"

/**
 * @since 0.1.0
 * @category models
 */
export const Severity = Schema.Literal("breaking", "narrowing", "safe").annotations({
  identifier: "Severity",
  description: "For a reader of OLD: breaking (NEW can send what OLD rejects), narrowing (NEW allows less), safe."
})

/**
 * @since 0.1.0
 * @category models
 */
export const RuleId = Schema.Literal(...ruleIds).annotations({
  identifier: "RuleId",
  description: "The rule the change falls under (the package README lists them)."
})

/**
 * A value NEW accepts and OLD rejects.
 *
 * @since 0.1.0
 * @category models
 */
export class Counterexample extends Schema.Class<Counterexample>("Counterexample")({
  value: Schema.Unknown.annotations({
    description: "The JSON value (shrunk): a body, or { status, body } for an OpenAPI document."
  }),
  oldError: Schema.String.annotations({ description: "What OLD's validator (ajv) says about it." })
}) {}

/**
 * One change.
 *
 * @since 0.1.0
 * @category models
 */
export class Change extends Schema.Class<Change>("Change")({
  rule: RuleId,
  severity: Severity,
  subject: Schema.String.annotations({
    description: "The operation (GET /v1/accounts/{id}) for an OpenAPI document, `document` for a JSON Schema."
  }),
  path: Schema.String.annotations({
    description: "Where in a response: `$[status=200][type=MAIL].body.connection_params`, `$[*]` for items."
  }),
  description: Schema.String.annotations({ description: "What changed, in one line." }),
  alsoAt: Schema.Array(Schema.String).annotations({
    description: "The other paths the same change reaches (a schema used in several places)."
  }),
  counterexample: Schema.optional(Counterexample).annotations({
    description: "For a breaking change: a value NEW accepts and OLD rejects."
  }),
  noCounterexample: Schema.optional(Schema.String).annotations({
    description: "For a breaking change without a counterexample: why none is shown."
  })
}) {}

/**
 * A document as the diff read it.
 *
 * @since 0.1.0
 * @category models
 */
export class DocumentInfo extends Schema.Class<DocumentInfo>("DocumentInfo")({
  path: Schema.optional(Schema.String).annotations({ description: "The file it was read from." }),
  kind: Schema.Literal("openapi", "json-schema"),
  summary: Schema.String.annotations({
    description: "`OpenAPI 3.1.0, 1 operation`, `JSON Schema (2020-12), root Account`."
  })
}) {}

/**
 * The overall verdict: the most severe change's, `unchanged` when there is none.
 *
 * @since 0.1.0
 * @category models
 */
export const Verdict = Schema.Literal("breaking", "narrowing", "safe", "unchanged").annotations({
  identifier: "Verdict",
  description: "breaking if any change is; else narrowing if any is; else safe if any change; unchanged."
})

/**
 * @since 0.1.0
 * @category models
 */
export type Verdict = typeof Verdict.Type

/**
 * What a diff found.
 *
 * @since 0.1.0
 * @category models
 */
export class DiffResult extends Schema.Class<DiffResult>("DiffResult")({
  verdict: Verdict,
  old: DocumentInfo,
  new: DocumentInfo,
  counts: Schema.Struct({
    breaking: Schema.Number,
    narrowing: Schema.Number,
    safe: Schema.Number
  }).annotations({ description: "How many changes of each severity." }),
  changes: Schema.Array(Change).annotations({ description: "Breaking first, then narrowing, then safe." }),
  search: Schema.Struct({
    seed: Schema.Number,
    runs: Schema.Number
  }).annotations({
    description: "The counterexample search: its seed and runs per change (aimed, then as many anywhere)."
  })
}) {}
