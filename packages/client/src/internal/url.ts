/**
 * Turning a base URL and an account id into the request URL without letting
 * the id change the path: it is percent-encoded as exactly one segment, and
 * ids no encoding can carry safely are refused.
 *
 * @internal
 */
import { AccountsApi, BaseUrl } from "@postpress/schema"
import * as Either from "effect/Either"
import { InvalidArgument } from "../ClientError.js"

// C0, DEL and C1 controls: servers and proxies treat them inconsistently.
const CONTROL = /\p{Cc}/u

/**
 * `id` as one path segment. `encodeURIComponent` escapes `/`, `?`, `#` and `%`,
 * so nothing in the id can end the segment or turn into `%2e`-style dot
 * segments; only the literal `.` and `..` survive it and are refused, because
 * URL normalisation would swallow them.
 *
 * @internal
 */
export const encodeId = (id: unknown): Either.Either<string, InvalidArgument> => {
  const invalid = (reason: string) => Either.left(new InvalidArgument({ argument: "id", reason }))
  if (typeof id !== "string") return invalid("expected a string")
  if (id === "") return invalid("must not be empty")
  if (id === "." || id === "..") return invalid(`"${id}" cannot be sent as a path segment`)
  if (CONTROL.test(id)) return invalid("must not contain control characters")
  try {
    return Either.right(encodeURIComponent(id))
  } catch {
    // URIError: the only way encodeURIComponent fails is a lone surrogate.
    return invalid("must not contain lone surrogates")
  }
}

/**
 * The URL prefix every request starts with: `{base}/v1/accounts/`. The base
 * is decoded by `BaseUrl` of `@postpress/schema`, THE base-URL rule of every
 * postpress tool: an http(s) URL without query (`…/api?` included), fragment
 * (`…/api#` included) or credentials, refused with its one-line message, so
 * appending the id is all there is to do per request.
 *
 * @internal
 */
export const accountsPrefix = (
  baseUrl: string | URL
): Either.Either<{ prefix: string; origin: string }, InvalidArgument> =>
  Either.match(BaseUrl.parse(typeof baseUrl === "string" ? baseUrl : baseUrl.href), {
    onLeft: (reason) => Either.left(new InvalidArgument({ argument: "baseUrl", reason })),
    onRight: (base) => Either.right({ prefix: `${base}${template}`, origin: new URL(base).origin })
  })

/** `/v1/accounts/`: the path template up to the id. */
const template = AccountsApi.pathTemplate.slice(0, AccountsApi.pathTemplate.indexOf("{"))
