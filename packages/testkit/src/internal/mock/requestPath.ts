/**
 * Strict reading of the request target, done before routing so that the mock
 * answers malformed paths with a documented 4xx envelope and the handler sees
 * exactly the id the client percent-encoded (`decodeURIComponent` of one
 * segment; the router's own decoding is more forgiving, e.g. it cuts at `;`).
 *
 * @since 0.1.0
 */

import type { ErrorCatalogue } from "@postpress/schema"
import { AccountsApi } from "@postpress/schema"
import { reasons } from "./envelopes.js"

// `/v1/accounts/{id}` → `/v1/accounts/`, derived so a path change in the contract follows.
const prefix = AccountsApi.pathTemplate.slice(0, AccountsApi.pathTemplate.indexOf("{"))

/**
 * @internal
 */
export type Target =
  | { readonly _tag: "Account"; readonly id: string }
  | { readonly _tag: "Invalid"; readonly type: ErrorCatalogue.ErrorType; readonly detail: string }
  | { readonly _tag: "Other"; readonly path: string }

/**
 * Classifies a raw request target (`req.url`).
 *
 * @internal
 */
export const parse = (url: string): Target => {
  const q = url.indexOf("?")
  const path = q === -1 ? url : url.slice(0, q)
  if (!path.startsWith(prefix)) return { _tag: "Other", path }
  const segment = path.slice(prefix.length)
  if (segment === "") {
    return { _tag: "Invalid", type: reasons.emptyId, detail: "The account id is missing from the path." }
  }
  if (segment.includes("/")) {
    return { _tag: "Invalid", type: reasons.unknownRoute, detail: "No such resource: extra path segments." }
  }
  try {
    return { _tag: "Account", id: decodeURIComponent(segment) }
  } catch {
    return {
      _tag: "Invalid",
      type: reasons.badPercentEncoding,
      detail: "The account id is not valid percent-encoding: encode '%' as %25."
    }
  }
}

/**
 * `true` for the OpenAPI document's path, which faults and latency leave alone.
 *
 * @internal
 */
export const isOpenApi = (url: string): boolean => url === "/openapi.json" || url.startsWith("/openapi.json?")
