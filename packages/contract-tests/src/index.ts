/**
 * `@postpress/contract-tests` (work in progress).
 *
 * @since 0.1.0
 */
export {}
