/**
 * Reading a response body within `maxResponseBytes`, counted on the bytes the
 * transport hands over (after `Content-Encoding` where the transport decodes
 * it, as fetch does), so an 80 MiB page, an endless body or a gzip bomb never
 * sits in memory whole: reading stops at the first chunk over the limit and
 * the body stream is cancelled.
 *
 * @internal
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { BodyLimit } from "@postpress/schema"
import * as Effect from "effect/Effect"

/** The body's text, or how far it went past the limit. */
export type Body =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "TooLarge"; readonly received: number; readonly complete: boolean }

const decoder = new TextDecoder()

/**
 * Reads the body: whole when its declared length is within the limit and
 * the transport passes it through as sent (no `Content-Encoding`), else as a
 * bounded stream.
 *
 * @internal
 */
export const read = (
  response: HttpClientResponse.HttpClientResponse,
  headers: { readonly [name: string]: string | undefined },
  limit: number
): Effect.Effect<Body, HttpClientError.ResponseError> => {
  const length = headers["content-length"]
  const encoding = headers["content-encoding"]
  const declared = length !== undefined && /^\d{1,15}$/.test(length) ? Number(length) : undefined
  const plain = encoding === undefined || encoding.trim().toLowerCase() === "identity"
  if (declared !== undefined && plain && declared <= limit) {
    return Effect.map(response.text, (text): Body => ({ _tag: "Text", text }))
  }
  return Effect.map(
    BodyLimit.read(response.stream, { limit, overflow: "stop" }),
    (read): Body =>
      read.over
        ? plain && declared !== undefined
          ? { _tag: "TooLarge", received: declared, complete: true }
          : { _tag: "TooLarge", received: read.total, complete: read.complete }
        : { _tag: "Text", text: decoder.decode(read.bytes) }
  )
}
