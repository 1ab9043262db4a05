/**
 * The result for a person at a terminal: a verdict line, the two documents,
 * then one block per change (severity, rule, path, what changed; for a
 * breaking one its counterexample and OLD's error). Every line goes through
 * `Printable.text`: names and values from a document never drive the
 * terminal.
 *
 * @internal
 */
import * as Printable from "@postpress/schema/Printable"
import type { Change, DiffResult, DocumentInfo } from "../model.js"

/** A value compact when short, else pretty, indented. */
export const showValue = (value: unknown, indent: string): ReadonlyArray<string> => {
  const compact = JSON.stringify(value) ?? "undefined"
  if (compact.length <= 100) return [`${indent}${compact}`]
  return (JSON.stringify(value, null, 2) ?? compact).split("\n").map((line) => `${indent}${line}`)
}

/** `2 breaking, 1 narrowing, 1 safe`. */
export const countsLine = (result: DiffResult): string =>
  `${result.counts.breaking} breaking, ${result.counts.narrowing} narrowing, ${result.counts.safe} safe`

/** `compat/openapi.json (OpenAPI 3.1.0, 1 operation)`. */
export const documentLine = (info: DocumentInfo): string =>
  info.path === undefined ? info.summary : `${info.path} (${info.summary})`

/** Where a change is: its path, after the operation's name when the document has operations. */
export const where = (result: DiffResult, change: Change): string =>
  result.new.kind === "openapi" ? `${change.subject} ${change.path}` : change.path

const alsoAt = (change: Change): ReadonlyArray<string> => {
  if (change.alsoAt.length === 0) return []
  const shown = change.alsoAt.slice(0, 3).join(", ")
  const more = change.alsoAt.length > 3 ? `, … (${change.alsoAt.length} more places in all)` : ""
  return [`          also at ${shown}${more}`]
}

const changeLines = (result: DiffResult, change: Change): ReadonlyArray<string> => [
  `${change.severity.padEnd(9)} ${change.rule}  ${where(result, change)}: ${change.description}`,
  ...alsoAt(change),
  ...(change.counterexample === undefined
    ? change.noCounterexample === undefined
      ? []
      : [`          no counterexample: ${change.noCounterexample}`]
    : [
        "          counterexample (NEW accepts it, OLD rejects it):",
        ...showValue(change.counterexample.value, "            "),
        `          OLD says: ${change.counterexample.oldError}`
      ])
]

/**
 * The result as text, one change per block.
 *
 * @since 0.1.0
 */
export const text = (result: DiffResult): string =>
  [
    result.verdict === "unchanged"
      ? "Schema diff: unchanged (no change to what a reader may receive)"
      : `Schema diff: ${result.verdict} (${countsLine(result)})`,
    `OLD  ${documentLine(result.old)}`,
    `NEW  ${documentLine(result.new)}`,
    ...(result.changes.length === 0 ? [] : [""]),
    ...result.changes.flatMap((change) => changeLines(result, change))
  ]
    .map(Printable.text)
    .join("\n")
