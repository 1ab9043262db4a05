/**
 * Turning a base URL and an account id into the request URL without letting
 * the id change the path: it is percent-encoded as exactly one segment, and
 * ids no encoding can carry safely are refused.
 *
 * @internal
 */
import { AccountsApi, type BaseUrl } from "@postpress/schema"
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
 * The URL prefix every request starts with, `{base}/v1/accounts/`, and the
 * base's origin (the only one redirects may lead to). The base is a decoded
 * `BaseUrl` (THE base-URL rule of every postpress tool: no query, fragment
 * or credentials, no trailing slash), so appending the id is all there is
 * to do per request.
 *
 * @internal
 */
export const accountsPrefix = (base: BaseUrl.BaseUrl): { readonly prefix: string; readonly origin: string } => ({
  prefix: `${base}${template}`,
  origin: new URL(base).origin
})

/** `/v1/accounts/`: the path template up to the id. */
const template = AccountsApi.pathTemplate.slice(0, AccountsApi.pathTemplate.indexOf("{"))
