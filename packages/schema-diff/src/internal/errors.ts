/**
 * Why a diff could not be made, one tagged error per case with a derived
 * one-line message: a file that cannot be read, or a document this tool
 * does not understand. Either is the caller's usage error, never a verdict.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Which side of the diff a document is on.
 *
 * @since 0.1.0
 * @category models
 */
export const Side = Schema.Literal("OLD", "NEW")

/**
 * @since 0.1.0
 * @category models
 */
export type Side = typeof Side.Type

/**
 * A document that could not be read: `OLD schema/old.json: no such file`.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnreadableDocument extends Schema.TaggedError<UnreadableDocument>()("UnreadableDocument", {
  side: Side,
  path: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.side} ${this.path}: ${this.reason}`
  }
}

/**
 * A document that is not one this tool understands (not JSON, not an
 * OpenAPI 3.1 document or a JSON Schema, a `$ref` it cannot follow, or two
 * documents of different kinds): `NEW x.json: OpenAPI 3.0 is not supported …`.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotASchemaDocument extends Schema.TaggedError<NotASchemaDocument>()("NotASchemaDocument", {
  side: Side,
  /** The file's path, or `` for a document given as a value. */
  path: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.side}${this.path === "" ? "" : ` ${this.path}`}: ${this.reason}`
  }
}
