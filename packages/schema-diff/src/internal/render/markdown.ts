/**
 * The result as a pull-request comment (GitHub-flavoured Markdown): the
 * verdict, a table of the changes, and each counterexample in a collapsed
 * section. Text from a document is escaped for where it lands: table cells
 * (pipes, HTML), code spans and fences (longer than any backtick run inside).
 *
 * @internal
 */
import * as Printable from "@postpress/schema/Printable"
import type { Change, DiffResult } from "../model.js"
import { countsLine, documentLine, where } from "./text.js"

const html = (text: string): string =>
  Printable.text(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")

/** A code span that holds `text` whatever backticks it has. */
const code = (text: string): string => {
  const safe = Printable.text(text)
  const longest = Math.max(0, ...[...safe.matchAll(/`+/g)].map((m) => m[0].length))
  const ticks = "`".repeat(longest + 1)
  const pad = safe.startsWith("`") || safe.endsWith("`") ? " " : ""
  return `${ticks}${pad}${safe}${pad}${ticks}`
}

const cell = (text: string): string => text.replaceAll("|", "\\|")

/** A fenced block that no line of `body` can close. */
const fence = (language: string, body: string): string => {
  const longest = Math.max(2, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length))
  const ticks = "`".repeat(longest + 1)
  return `${ticks}${language}\n${body}\n${ticks}`
}

const row = (result: DiffResult, change: Change): string =>
  `| ${change.severity} | ${code(change.rule)} | ${cell(code(where(result, change)))} | ${cell(html(change.description))}${
    change.alsoAt.length === 0 ? "" : ` (and ${change.alsoAt.length} more places)`
  } |`

const details = (result: DiffResult, change: Change): ReadonlyArray<string> => {
  if (change.counterexample === undefined) {
    return change.noCounterexample === undefined
      ? []
      : [
          `- ${code(change.rule)} at ${code(where(result, change))}: no counterexample (${html(change.noCounterexample)})`
        ]
  }
  const value = JSON.stringify(change.counterexample.value, null, 2) ?? "undefined"
  return [
    "<details>",
    `<summary>Counterexample for <code>${html(change.rule)}</code> at <code>${html(where(result, change))}</code></summary>`,
    "",
    "NEW accepts this value, OLD rejects it:",
    "",
    fence("json", value.split("\n").map(Printable.text).join("\n")),
    "",
    `OLD says: ${code(change.counterexample.oldError)}`,
    "",
    "</details>"
  ]
}

/**
 * The result as a pull-request comment.
 *
 * @since 0.1.0
 */
export const markdown = (result: DiffResult): string => {
  const headline =
    result.verdict === "unchanged"
      ? "No change to what a reader may receive."
      : result.verdict === "breaking"
        ? `**${countsLine(result)}**: a reader built on OLD rejects some answers a server on NEW may send.`
        : `${countsLine(result)}: every answer a server on NEW may send is accepted by a reader built on OLD.`
  return [
    `### Schema diff: ${result.verdict}`,
    "",
    `OLD ${code(documentLine(result.old))} → NEW ${code(documentLine(result.new))}`,
    "",
    headline,
    ...(result.changes.length === 0
      ? []
      : [
          "",
          "| severity | rule | where | change |",
          "| --- | --- | --- | --- |",
          ...result.changes.map((change) => row(result, change))
        ]),
    ...(result.changes.some((c) => c.severity === "breaking") ? [""] : []),
    ...result.changes.filter((c) => c.severity === "breaking").flatMap((change) => details(result, change)),
    ""
  ].join("\n")
}
