/**
 * `@postpress/contract-tests`: is this server the postpress accounts API?
 * The contract suite, the validating proxy and the HAR reader, one judge,
 * one report and its renderings (human, JSON, JUnit, HTML). What a service's
 * own tests import (arbitraries, the mock, coverage) is `@postpress/testkit`.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Contract from "./Contract.js"
/** @since 0.1.0 */
export * as ContractCheck from "./ContractCheck.js"
/** @since 0.1.0 */
export * as ContractError from "./ContractError.js"
/** @since 0.1.0 */
export * as ContractEvent from "./ContractEvent.js"
/** @since 0.1.0 */
export * as ContractHar from "./ContractHar.js"
/** @since 0.1.0 */
export * as ContractHtml from "./ContractHtml.js"
/** @since 0.1.0 */
export * as ContractJunit from "./ContractJunit.js"
/** @since 0.1.0 */
export * as ContractMetrics from "./ContractMetrics.js"
/** @since 0.1.0 */
export * as ContractMock from "./ContractMock.js"
/** @since 0.1.0 */
export * as ContractProxy from "./ContractProxy.js"
/** @since 0.1.0 */
export * as ContractReport from "./ContractReport.js"
/** @since 0.1.0 */
export * as ContractTraffic from "./ContractTraffic.js"
/** @since 0.1.0 */
export * as ContractTransport from "./ContractTransport.js"
