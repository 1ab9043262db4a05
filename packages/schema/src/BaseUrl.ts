/**
 * Where the API lives: the one default base URL, in a module of its own so
 * that a program needing only this string (the CLI's help, a config default)
 * does not load the `HttpApi` contract with it. `AccountsApi.defaultBaseUrl`
 * is this same value.
 *
 * Reading of the spec: its heading says `https://api.postpress.ai/v1/accounts/{id}`,
 * its copy-pasteable example request `https://api.postpress.ai/api/v1/accounts/...`;
 * the example wins. Paths (`/v1/accounts/{id}`) are appended to the base URL.
 *
 * @since 0.1.0
 */

/**
 * The default base URL: the spec's copy-pasteable example request.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBaseUrl = "https://api.postpress.ai/api"
