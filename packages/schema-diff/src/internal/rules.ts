/**
 * THE rules: every kind of change the diff names, with its stable id, the
 * severity it has for a reader of the OLD document, and one line saying why.
 * The README's rule table and `--help` are rendered from this list; a change
 * always carries one of these ids.
 *
 * Severity, in the reader's direction (a client built on OLD receiving what
 * a server built on NEW sends):
 * - `breaking`: a server on NEW can send something a reader on OLD rejects;
 * - `narrowing`: NEW only allows less (readers are fine; worth knowing);
 * - `safe`: every NEW answer is accepted by OLD, and NEW is not narrower.
 * A few rules depend on the reader (strict readers forbid unknown
 * properties) or on the search for a counterexample: their `severity` says so.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category models
 */
export type Severity = "breaking" | "narrowing" | "safe"

/**
 * One rule: its severity (or what it depends on) and what it means.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rule {
  readonly severity: Severity | "depends"
  /** For `depends`: on what, in a few words. */
  readonly when?: string
  readonly meaning: string
}

const rule = (severity: Severity, meaning: string): Rule => ({ severity, meaning })
const depends = (when: string, meaning: string): Rule => ({ severity: "depends", when, meaning })

const widened = (what: string): Rule => rule("breaking", `${what}: NEW allows values OLD rejects`)
const narrowed = (what: string): Rule => rule("narrowing", `${what}: NEW allows fewer values`)

/**
 * Every rule by id.
 *
 * @since 0.1.0
 * @category rules
 */
export const rules = {
  "variant-added": rule("breaking", "a union gained a variant (a 15th account type): OLD readers reject it"),
  "variant-removed": rule("narrowing", "a union lost a variant: NEW never sends it"),
  "status-added": rule(
    "breaking",
    "a response status (or an envelope for one) was added: OLD readers do not expect it"
  ),
  "status-removed": rule("narrowing", "a response status was removed: NEW never sends it"),
  "operation-added": rule("safe", "an operation was added: OLD readers never call it"),
  "operation-removed": rule("narrowing", "an operation was removed: its readers get whatever an unknown path answers"),
  "property-added-required": depends(
    "breaking for strict readers",
    "a required property was added: lenient readers ignore it, strict readers (no additional properties) reject it"
  ),
  "property-added-optional": depends(
    "breaking for strict readers",
    "an optional property was added: lenient readers ignore it, strict readers (no additional properties) reject it"
  ),
  "property-removed-required": rule("breaking", "a required property was removed: NEW may omit what OLD requires"),
  "property-removed-optional": depends(
    "breaking when NEW allows additional properties",
    "an optional property was removed: a NEW that allows unknown properties may send it with any value"
  ),
  "required-to-optional": rule("breaking", "a required property became optional: NEW may omit it"),
  "optional-to-required": rule("narrowing", "an optional property became required: NEW always sends it"),
  "additional-properties-allowed": rule("breaking", "an object now allows properties it does not name"),
  "additional-properties-forbidden": rule("narrowing", "an object no longer allows properties it does not name"),
  "nullable-added": rule("breaking", "a value may now be null"),
  "nullable-removed": rule("narrowing", "a value may no longer be null"),
  "enum-value-added": rule("breaking", "an enum gained a value (a status, protocol, encryption…)"),
  "enum-value-removed": rule("narrowing", "an enum lost a value"),
  "enum-added": narrowed("an enum now restricts a value"),
  "enum-removed": widened("a value is no longer restricted to an enum"),
  "error-type-added": rule("breaking", "an error type was added to a status tier"),
  "error-type-removed": rule("narrowing", "an error type was removed from a status tier"),
  "error-type-moved": rule("breaking", "an error type moved to another status tier"),
  "type-widened": widened("a value may have more JSON types"),
  "type-narrowed": narrowed("a value may have fewer JSON types"),
  "type-changed": rule("breaking", "a value's JSON type changed"),
  "format-widened": widened("a string format was removed"),
  "format-narrowed": narrowed("a string format was added"),
  "format-changed": rule("breaking", "a string format changed"),
  "pattern-widened": widened("a string pattern was removed"),
  "pattern-narrowed": narrowed("a string pattern was added"),
  "pattern-changed": depends(
    "breaking when a counterexample is found",
    "a string pattern changed: judged by searching for a NEW string the OLD pattern rejects"
  ),
  "min-length-widened": widened("a minimum string length was lowered or removed"),
  "min-length-narrowed": narrowed("a minimum string length was raised or added"),
  "max-length-widened": widened("a maximum string length was raised or removed"),
  "max-length-narrowed": narrowed("a maximum string length was lowered or added"),
  "minimum-widened": widened("a number's lower bound was lowered or removed"),
  "minimum-narrowed": narrowed("a number's lower bound was raised or added"),
  "maximum-widened": widened("a number's upper bound was raised or removed"),
  "maximum-narrowed": narrowed("a number's upper bound was lowered or added"),
  "min-items-widened": widened("an array's minimum length was lowered or removed"),
  "min-items-narrowed": narrowed("an array's minimum length was raised or added"),
  "max-items-widened": widened("an array's maximum length was raised or removed"),
  "max-items-narrowed": narrowed("an array's maximum length was lowered or added"),
  "unclassified-change": depends(
    "breaking when a counterexample is found",
    "a keyword no rule above covers changed: judged by searching for a NEW value OLD rejects"
  )
} as const satisfies Record<string, Rule>

/**
 * A rule's id.
 *
 * @since 0.1.0
 * @category rules
 */
export type RuleId = keyof typeof rules

/**
 * Every rule id, in the catalogue's order.
 *
 * @since 0.1.0
 * @category rules
 */
export const ruleIds = Object.keys(rules) as ReadonlyArray<RuleId>
