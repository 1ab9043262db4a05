/**
 * Moved: the response rules live in `../rules/validate.ts` (the one rule
 * engine shared by the suite, the proxy and the HAR reader). This re-export
 * goes once the suite's modules import from there.
 *
 * @since 0.1.0
 */
export * from "../rules/validate.js"
