/**
 * `@postpress/testkit`: what a service's own tests import for the postpress
 * accounts API: schema-derived arbitraries, a faithful mock server, and the
 * coverage of what the tests met.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Arbitraries from "./Arbitraries.js"
/** @since 0.1.0 */
export * as MockCoverage from "./MockCoverage.js"
/** @since 0.1.0 */
export * as MockServer from "./MockServer.js"
