/**
 * Why a contract run could not start at all (as opposed to finding
 * violations or not being able to judge, which are a normal report), and
 * why one request got no answer.
 *
 * @since 0.1.0
 */
export * from "./internal/sources/suite/errors.js"
