/**
 * `@postpress/schema`: the postpress accounts API defined once as Effect Schemas.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Account from "./Account.js"
/** @since 0.1.0 */
export * as AccountDecoder from "./AccountDecoder.js"
/** @since 0.1.0 */
export * as AccountsApi from "./AccountsApi.js"
/** @since 0.2.0 */
export * as AccountVariants from "./AccountVariants.js"
/** @since 0.1.0 */
export * as ApiError from "./ApiError.js"
/** @since 0.1.0 */
export * as BaseUrl from "./BaseUrl.js"
/** @since 0.1.0 */
export * as BodyLimit from "./BodyLimit.js"
/** @since 0.1.0 */
export * as ConfigRules from "./ConfigRules.js"
/** @since 0.1.0 */
export * as DecodeIssue from "./DecodeIssue.js"
/** @since 0.1.0 */
export * as ErrorCatalogue from "./ErrorCatalogue.js"
/** @since 0.1.0 */
export * as ErrorEnvelope from "./ErrorEnvelope.js"
/** @since 0.1.0 */
export * as Fields from "./Fields.js"
/** @since 0.1.0 */
export * as IsoDateTime from "./IsoDateTime.js"
/** @since 0.1.0 */
export * as JsonSchemas from "./JsonSchemas.js"
/** @since 0.1.0 */
export * as Printable from "./Printable.js"
/** @since 0.1.0 */
export * as Redaction from "./Redaction.js"
/** @since 0.1.0 */
export * as ResponseRules from "./ResponseRules.js"
/** @since 0.1.0 */
export * as RetryPolicy from "./RetryPolicy.js"
/** @since 0.1.0 */
export * as SpecExample from "./SpecExample.js"
