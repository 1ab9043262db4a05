/**
 * Where the API lives: the one default base URL and THE rule for a base URL,
 * as a Schema every entry point decodes (the client, the contract suite, the
 * validating proxy's `--target`, the CLI's `--base-url`), so a defect has one
 * message wherever it is found. In a module of its own so that a program
 * needing only this (the CLI's help, a config default) does not load the
 * `HttpApi` contract with it. `AccountsApi.defaultBaseUrl` is the same value.
 *
 * Reading of the spec: its heading says `https://api.postpress.ai/v1/accounts/{id}`,
 * its copy-pasteable example request `https://api.postpress.ai/api/v1/accounts/...`;
 * the example wins. Paths (`/v1/accounts/{id}`) are appended to the base URL.
 *
 * @since 0.1.0
 */
import type * as Brand from "effect/Brand"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * The default base URL: the spec's copy-pasteable example request.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBaseUrl = "https://api.postpress.ai/api"

/**
 * What is wrong with a base URL, one message per defect. A query or a
 * fragment, even an empty one (`…/api?`, `…/api#`), is refused: the request
 * path is appended to the base, so `…/api?/v1/accounts/{id}` would send the
 * key to `…/api` with the path in its query.
 *
 * @since 0.1.0
 * @category validation
 */
export const defect = (text: string): string | undefined => {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return `not an absolute URL: ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}`
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return `expected an http: or https: URL, got ${url.protocol}`
  // `new URL("…/api?").search` is "": the raw text is what tells.
  if (url.search !== "" || text.includes("?")) return "must not have a query (?)"
  if (url.hash !== "" || text.includes("#")) return "must not have a fragment (#)"
  if (url.username !== "" || url.password !== "") return "must not contain credentials (user:password@)"
  return undefined
}

/**
 * The normal form of a valid base URL: the WHATWG serialisation without
 * trailing slashes (`https://API.example.com:443/api/` →
 * `https://api.example.com/api`), so appending `/v1/accounts/{id}` is all
 * there is to do per request.
 *
 * @since 0.1.0
 * @category validation
 */
export const normalize = (text: string): string => new URL(text).href.replace(/\/+$/, "")

/**
 * A base URL in its normal form.
 *
 * @since 0.1.0
 * @category models
 */
export type BaseUrl = string & Brand.Brand<"BaseUrl">

/**
 * A base URL from text: refused with {@link defect}'s message, else
 * {@link normalize}d. Encodes back to the normal form.
 *
 * @example
 * import { BaseUrl } from "@postpress/schema"
 * import { Schema } from "effect"
 *
 * Schema.decodeSync(BaseUrl.BaseUrl)("https://staging.example.com/api/") // "https://staging.example.com/api"
 *
 * @since 0.1.0
 * @category schemas
 */
export const BaseUrl: Schema.Schema<BaseUrl, string> = Schema.transformOrFail(
  Schema.String,
  Schema.String.pipe(Schema.brand("BaseUrl")),
  {
    strict: true,
    decode: (text, _, ast) => {
      const wrong = defect(text)
      return wrong === undefined
        ? ParseResult.succeed(normalize(text) as BaseUrl)
        : ParseResult.fail(new ParseResult.Type(ast, text, wrong))
    },
    encode: (url) => ParseResult.succeed(url)
  }
).annotations({ identifier: "BaseUrl", description: "an http(s) URL without query, fragment or credentials" })

/**
 * Decodes a base URL: the normal form, or the defect's one-line message.
 *
 * @since 0.1.0
 * @category validation
 */
export const parse = (text: string): Either.Either<BaseUrl, string> => {
  const wrong = defect(text)
  return wrong === undefined ? Either.right(normalize(text) as BaseUrl) : Either.left(wrong)
}
