/**
 * The one error a config that cannot be decoded gives, for every entry
 * point of the package (the suite, the proxy, the HAR reader), and the
 * decoder that gives it. The rules themselves and their messages are
 * `ConfigRules` of `@postpress/schema`, shared with the client and the
 * mock. A leaf: it imports no stage.
 *
 * @since 0.1.0
 */
import { ConfigRules } from "@postpress/schema"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/**
 * One thing wrong with a config: the field (its Schema path) and the rule's
 * message (`ConfigRules.Issue`).
 *
 * @since 0.1.0
 * @category models
 */
export const ConfigIssue = ConfigRules.Issue

/**
 * @since 0.1.0
 * @category models
 */
export type ConfigIssue = ConfigRules.Issue

/**
 * A config that cannot be run (the suite's, the proxy's or the HAR
 * reader's): each issue names its field (`target`, `maxBodyBytes`, …; `[]`
 * for a rule over several fields) and the rule's message; nothing was
 * started or sent. The message is every issue as `field: message`; the CLI
 * names each path after its flag (`--target: …`).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>()("InvalidConfig", {
  issues: Schema.NonEmptyArray(ConfigIssue)
}) {
  override get message(): string {
    return ConfigRules.format(this.issues)
  }
}

/**
 * Decodes a config once with its Schema (every refused field at once),
 * failing with {@link InvalidConfig}.
 *
 * @internal
 */
export const decodeWith = <A, I>(schema: Schema.Schema<A, I>): ((input: I) => Effect.Effect<A, InvalidConfig>) =>
  ConfigRules.decode(schema, (issues) => new InvalidConfig({ issues }))
