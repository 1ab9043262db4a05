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

/**
 * Every rule as a Markdown table: id, severity (or what it depends on), meaning.
 *
 * @since 0.1.0
 * @category rendering
 */
export const ruleTable = (): string =>
  [
    "| rule | severity | meaning |",
    "| --- | --- | --- |",
    ...Object.entries(rules).map(
      ([id, rule]) => `| \`${id}\` | ${"when" in rule ? `${rule.when}` : rule.severity} | ${rule.meaning} |`
    )
  ].join("\n")
