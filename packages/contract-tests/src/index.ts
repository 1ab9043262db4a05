/**
 * `@postpress/contract-tests`: arbitraries, a faithful mock server and a
 * contract-test suite for the postpress accounts API.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Arbitraries from "./Arbitraries.js"
/** @since 0.1.0 */
export * as MockServer from "./MockServer.js"
