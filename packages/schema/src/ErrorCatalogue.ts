/**
 * The spec's error catalogue as ONE data table: every error `type`, its HTTP
 * status and the spec's description, plus the six status tiers. Envelope
 * schemas, tagged errors, the OpenAPI document, the mock server and the
 * contract checks are all derived from it.
 *
 * @since 0.1.0
 */

/**
 * The six documented error statuses with the spec's titles and descriptions.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const tiers = [
  {
    status: 400,
    title: "Bad Request",
    description: "The request can't be processed because of malformed or invalid input."
  },
  { status: 401, title: "Unauthorized", description: "Credentials are missing, expired, or invalid." },
  {
    status: 404,
    title: "Not Found",
    description: "The requested account does not exist or is not accessible with this API key."
  },
  {
    status: 500,
    title: "Internal Server Error",
    description: "Something went wrong on our side or with the upstream provider."
  },
  { status: 503, title: "Service Unavailable", description: "postpress is temporarily unable to handle the request." },
  { status: 504, title: "Gateway Timeout", description: "The upstream provider did not respond in time." }
] as const

/**
 * All 32 error types, in the spec's order.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const catalogue = [
  {
    type: "errors/invalid_parameters",
    status: 400,
    description: "One or more request parameters are invalid or missing."
  },
  { type: "errors/missing_parameters", status: 400, description: "One or more request parameters are missing." },
  {
    type: "errors/malformed_request",
    status: 400,
    description: "The given request has been rejected by the provider."
  },
  { type: "errors/content_too_large", status: 400, description: "The request payload is too large for the provider." },
  { type: "errors/invalid_url", status: 400, description: "The provided URL is not valid." },
  { type: "errors/too_many_characters", status: 400, description: "The provided content exceeds the character limit." },
  { type: "errors/unescaped_characters", status: 400, description: "The request path contains unescaped characters." },
  {
    type: "errors/limit_too_high",
    status: 400,
    description: "Pagination limit too high. See API reference for details."
  },
  {
    type: "errors/missing_credentials",
    status: 401,
    description: "Some credentials are necessary to perform the request."
  },
  {
    type: "errors/multiple_sessions",
    status: 401,
    description:
      "LinkedIn limits multiple sessions on certain Recruiter accounts. Use the cookie connection method to avoid this."
  },
  {
    type: "errors/invalid_checkpoint_solution",
    status: 401,
    description: "The checkpoint resolution did not pass successfully. Retry."
  },
  { type: "errors/invalid_proxy_credentials", status: 401, description: "The provided proxy credentials are invalid." },
  {
    type: "errors/checkpoint_error",
    status: 401,
    description: "The checkpoint does not appear to be resolvable. Contact support if it persists."
  },
  { type: "errors/invalid_credentials", status: 401, description: "The provided credentials are invalid." },
  { type: "errors/expired_credentials", status: 401, description: "Credentials have expired. Reconnect the account." },
  { type: "errors/insufficient_privileges", status: 401, description: "This resource is out of your API-key scopes." },
  {
    type: "errors/disconnected_account",
    status: 401,
    description: "The account is disconnected from the provider service."
  },
  {
    type: "errors/disconnected_feature",
    status: 401,
    description: "The service you're trying to reach is disconnected."
  },
  {
    type: "errors/invalid_credentials_but_valid_account_imap",
    status: 401,
    description: "IMAP/SMTP credentials are invalid but the account is otherwise valid."
  },
  { type: "errors/expired_link", status: 401, description: "This link has expired. Generate a new one." },
  {
    type: "errors/wrong_account",
    status: 401,
    description: "The provided credentials do not match the correct account."
  },
  { type: "errors/resource_not_found", status: 404, description: "The requested resource was not found." },
  {
    type: "errors/invalid_resource_identifier",
    status: 404,
    description: "The provided resource identifier is invalid."
  },
  { type: "errors/unexpected_error", status: 500, description: "Something went wrong." },
  {
    type: "errors/provider_error",
    status: 500,
    description: "The provider is experiencing operational problems. Retry later."
  },
  {
    type: "errors/authentication_intent_error",
    status: 500,
    description: "The current authentication intent was killed after failure. Start again from the beginning."
  },
  { type: "errors/no_client_session", status: 503, description: "No client session is currently running." },
  { type: "errors/no_channel", status: 503, description: "No channel to client session." },
  { type: "errors/no_handler", status: 503, description: "Handler missing for that request." },
  { type: "errors/network_down", status: 503, description: "Network is down on the server side. Retry shortly." },
  { type: "errors/service_unavailable", status: 503, description: "Service temporarily unavailable. Retry later." },
  {
    type: "errors/request_timeout",
    status: 504,
    description: "Request timed out. Retry, and contact support if it persists."
  }
] as const

/**
 * One row of the catalogue.
 *
 * @since 0.1.0
 * @category models
 */
export type CatalogueEntry = (typeof catalogue)[number]

/**
 * A documented error status: 400, 401, 404, 500, 503 or 504.
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorStatus = (typeof tiers)[number]["status"]

/**
 * Any of the 32 documented error types.
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorType = CatalogueEntry["type"]

/**
 * The error types of one status tier, e.g. `ErrorTypeOf<404>` is
 * `"errors/resource_not_found" | "errors/invalid_resource_identifier"`.
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorTypeOf<S extends ErrorStatus> = Extract<CatalogueEntry, { readonly status: S }>["type"]

/**
 * The documented error statuses.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const errorStatuses: ReadonlyArray<ErrorStatus> = tiers.map((t) => t.status)

/**
 * The error types of one tier, in the spec's order.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const typesOf = <S extends ErrorStatus>(status: S): ReadonlyArray<ErrorTypeOf<S>> =>
  catalogue.filter((entry) => entry.status === status).map((entry) => entry.type as ErrorTypeOf<S>)

const byType: ReadonlyMap<string, CatalogueEntry> = new Map(catalogue.map((entry) => [entry.type, entry]))

/**
 * Looks up a type; `undefined` for a type the spec does not document.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const lookup = (type: string): CatalogueEntry | undefined => byType.get(type)

/**
 * `true` when `status` is one of the six documented error statuses.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const isErrorStatus = (status: number): status is ErrorStatus =>
  (errorStatuses as ReadonlyArray<number>).includes(status)

/**
 * The tier row (title and description) of a documented status.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const tierOf = <S extends ErrorStatus>(status: S): Extract<(typeof tiers)[number], { readonly status: S }> =>
  tiers.find((t) => t.status === status) as Extract<(typeof tiers)[number], { readonly status: S }>
