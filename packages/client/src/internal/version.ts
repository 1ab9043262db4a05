/**
 * The package version, for the `user-agent`. A test keeps it equal to
 * package.json (importing the JSON would put it outside `rootDir`).
 *
 * @internal
 */
export const version = "0.1.0"

/** @internal */
export const userAgent = `@postpress/client/${version}`
