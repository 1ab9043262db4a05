/**
 * `@postpress/client` (work in progress).
 *
 * @since 0.1.0
 */
export {}
