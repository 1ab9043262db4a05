/**
 * The operation as an `HttpApi` contract: `GET /v1/accounts/:id` behind an
 * `X-API-KEY` header, answering an {@link Account} or a tier error. The mock
 * server implements it, OpenAPI is generated from it, and other services can
 * serve or call it.
 *
 * Paths are relative to the base URL (default `https://api.postpress.ai/api`).
 *
 * @since 0.1.0
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import { Account, UniqueId } from "./Account.js"
import { wire } from "./ApiError.js"
import { defaultBaseUrl } from "./BaseUrl.js"

export {
  /**
   * The default base URL: the spec's copy-pasteable example request (defined in `BaseUrl`).
   *
   * @since 0.1.0
   * @category constants
   */
  defaultBaseUrl
} from "./BaseUrl.js"

/**
 * The name of the API key header.
 *
 * @since 0.1.0
 * @category constants
 */
export const apiKeyHeader = "X-API-KEY"

/**
 * The path template, as OpenAPI writes it.
 *
 * @since 0.1.0
 * @category constants
 */
export const pathTemplate = "/v1/accounts/{id}"

/**
 * `X-API-KEY` header security.
 *
 * @since 0.1.0
 * @category security
 */
export const apiKeySecurity = HttpApiSecurity.apiKey({ in: "header", key: apiKeyHeader }).pipe(
  HttpApiSecurity.annotate(OpenApi.Description, "API key from your postpress dashboard. Sent as a request header.")
)

/**
 * The authentication middleware of the contract. A missing key fails with
 * 401 `errors/missing_credentials`, an unknown one with 401
 * `errors/invalid_credentials` (the implementation decides which keys exist).
 *
 * @since 0.1.0
 * @category security
 */
export class ApiKeyAuth extends HttpApiMiddleware.Tag<ApiKeyAuth>()("@postpress/schema/ApiKeyAuth", {
  failure: wire[401],
  security: { apiKey: apiKeySecurity }
}) {}

/**
 * `GET /v1/accounts/:id`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const retrieveAccount = HttpApiEndpoint.get("retrieve", "/v1/accounts/:id")
  .setPath(Schema.Struct({ id: UniqueId.annotations({ description: "The id of the account to retrieve." }) }))
  .addSuccess(Account)
  .addError(wire[400])
  .addError(wire[401])
  .addError(wire[404])
  .addError(wire[500])
  .addError(wire[503])
  .addError(wire[504])
  .annotate(OpenApi.Summary, "Retrieve an account")
  .annotate(
    OpenApi.Description,
    "Returns the full details of a single account linked to your postpress workspace. The shape of `connection_params` depends on the provider `type`."
  )

/**
 * The `accounts` group, behind {@link ApiKeyAuth}.
 *
 * @since 0.1.0
 * @category groups
 */
export class AccountsGroup extends HttpApiGroup.make("accounts")
  .add(retrieveAccount)
  .middleware(ApiKeyAuth)
  .annotate(OpenApi.Description, "Accounts connected to your postpress workspace.") {}

/**
 * Builds a fresh instance of the API definition. `OpenApi.fromApi` caches its
 * result per API object regardless of its options, so generators that need
 * several variants (lenient, strict) each start from a fresh instance.
 *
 * @since 0.1.0
 * @category api
 */
export const makeApi = () =>
  HttpApi.make("postpress")
    .add(AccountsGroup)
    .annotate(OpenApi.Title, "postpress accounts API")
    .annotate(OpenApi.Version, "1.0.0")
    // The licence of this generated description (this package's), not of the API itself.
    .annotate(OpenApi.License, { name: "MIT", url: "https://opensource.org/licenses/MIT" })
    .annotate(OpenApi.Servers, [{ url: defaultBaseUrl }])

/**
 * The postpress accounts API.
 *
 * @since 0.1.0
 * @category api
 */
export class PostpressApi extends makeApi() {}
