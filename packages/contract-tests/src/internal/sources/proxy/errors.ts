/**
 * Why the proxy could not start or keep a promise, one error per case, each
 * with its facts as fields and its message derived from them. A config that
 * cannot be decoded is `InvalidConfig` (shared with every entry point);
 * reports that cannot be written are the renderers' `ReportsNotWritten`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The proxy could not listen on `host:port` (in use, not an address of this
 * machine, no permission): `code` is the system's (`EADDRINUSE`), `detail`
 * what the system said.
 *
 * @since 0.1.0
 * @category errors
 */
export class CannotListen extends Schema.TaggedError<CannotListen>()("CannotListen", {
  host: Schema.String,
  port: Schema.Number,
  code: Schema.optional(Schema.String),
  detail: Schema.String
}) {
  override get message(): string {
    return `cannot listen on ${this.host}:${this.port}: ${this.detail}`
  }
}

/**
 * The `--har` file could not be opened or finished: at the start the
 * session does not begin; at the end the report is inconclusive at best and
 * says why (the other reports are still written).
 *
 * @since 0.1.0
 * @category errors
 */
export class HarNotWritten extends Schema.TaggedError<HarNotWritten>()("HarNotWritten", {
  path: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `cannot write ${this.path}: ${this.detail}`
  }
}
