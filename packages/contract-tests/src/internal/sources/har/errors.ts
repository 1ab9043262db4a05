/**
 * Why HAR files could not be judged, one error per case, each with its
 * facts as fields and its message derived from them (one line, at most a
 * couple of hundred characters: the CLI prints it as is).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A file that cannot be read: `code` is the system's (`ENOENT`, `EACCES`),
 * else what the platform said.
 *
 * @since 0.1.0
 * @category errors
 */
export class HarUnreadable extends Schema.TaggedError<HarUnreadable>()("HarUnreadable", {
  path: Schema.String,
  code: Schema.String
}) {
  override get message(): string {
    return `${this.path}: cannot read (${this.code})`
  }
}

/**
 * The first thing that makes a document not a HAR 1.2 file: where (`at`,
 * e.g. `log.entries[0].request`), what was expected there and what was
 * found, and how many other problems there are.
 *
 * @since 0.1.0
 * @category models
 */
export const HarIssue = Schema.Struct({
  at: Schema.String,
  expected: Schema.String,
  actual: Schema.String,
  more: Schema.Number
})

/**
 * A file that is not a HAR: `notJson` holds why its text is not JSON, else
 * `issue` is the first problem of the JSON against HAR 1.2.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotAHar extends Schema.TaggedError<NotAHar>()("NotAHar", {
  path: Schema.String,
  notJson: Schema.optional(Schema.String),
  issue: Schema.optional(HarIssue)
}) {
  override get message(): string {
    if (this.notJson !== undefined) return `${this.path}: not a HAR file (not JSON: ${this.notJson})`
    const issue = this.issue
    if (issue === undefined) return `${this.path}: not a HAR 1.2 file`
    const more = issue.more > 0 ? `, and ${issue.more} more` : ""
    return `${this.path}: not a HAR 1.2 file (${issue.at}: expected ${issue.expected}, got ${issue.actual}${more})`
  }
}
