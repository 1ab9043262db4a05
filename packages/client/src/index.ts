/**
 * `@postpress/client`: an Effect-native client for the postpress accounts
 * API, with typed errors and tiered retries.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as AccountsClient from "./AccountsClient.js"
/** @since 0.1.0 */
export * as ClientError from "./ClientError.js"
/** @since 0.1.0 */
export * as RetryPolicy from "./RetryPolicy.js"
