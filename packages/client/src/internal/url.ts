/**
 * Turning a base URL and an account id into the request URL without letting
 * the id change the path: it is percent-encoded as exactly one segment, and
 * ids no encoding can carry safely are refused.
 *
 * @internal
 */
import { AccountsApi } from "@postpress/schema"
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
 * The URL prefix every request starts with: `{base}/v1/accounts/`. Only
 * http(s) bases without query or fragment are accepted, so that appending the
 * id is all there is to do per request.
 *
 * @internal
 */
export const accountsPrefix = (
  baseUrl: string | URL
): Either.Either<{ prefix: string; origin: string }, InvalidArgument> => {
  const invalid = (reason: string) => Either.left(new InvalidArgument({ argument: "baseUrl", reason }))
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return invalid("not an absolute URL")
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return invalid("expected an http: or https: URL")
  if (url.search !== "" || url.hash !== "") return invalid("must not have a query or fragment")
  if (url.username !== "" || url.password !== "") return invalid("must not contain credentials")
  const base = url.href.replace(/\/+$/, "")
  const template = AccountsApi.pathTemplate.slice(0, AccountsApi.pathTemplate.indexOf("{"))
  return Either.right({ prefix: `${base}${template}`, origin: url.origin })
}
