/**
 * `@postpress/schema-diff`: a breaking-change gate for the postpress
 * accounts API's published schemas, judged in the reader's direction, with
 * a counterexample for every breaking change.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as DiffReport from "./DiffReport.js"
/** @since 0.1.0 */
export * as ReleaseGate from "./ReleaseGate.js"
/** @since 0.1.0 */
export * as SchemaDiff from "./SchemaDiff.js"
