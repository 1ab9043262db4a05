/**
 * A diff's result for people and machines: `text` (a terminal), `markdown`
 * (a pull-request comment), `toJson`/`fromJson` (CI: the encoding of the
 * `DiffResult` Schema) and `jsonSchema` (what the published
 * `@postpress/schema-diff/diff.schema.json` holds), plus `ruleTable`, the
 * rule catalogue as a Markdown table (the package README embeds it).
 *
 * @since 0.1.0
 */
import { rules } from "./internal/rules.js"

export { fromJson, jsonSchema, toJson } from "./internal/render/json.js"
export { markdown } from "./internal/render/markdown.js"
export { text } from "./internal/render/text.js"

/** A Markdown table with its columns padded, as the formatter leaves one. */
const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((title, i) => Math.max(title.length, 3, ...rows.map((row) => (row[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")
}

/**
 * Every rule as a Markdown table: id, severity (or what it depends on), meaning.
 *
 * @since 0.1.0
 * @category rendering
 */
export const ruleTable = (): string =>
  table(
    ["rule", "severity", "meaning"],
    Object.entries(rules).map(([id, rule]) => [`\`${id}\``, "when" in rule ? rule.when : rule.severity, rule.meaning])
  )
