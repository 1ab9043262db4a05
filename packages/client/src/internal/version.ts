/**
 * The package version, for the `user-agent`: read from package.json at build
 * time through the generated ./packageVersion.ts (scripts/versions.ts).
 *
 * @internal
 */
import { version } from "./packageVersion.js"

/** @internal */
export { version }

/** @internal */
export const userAgent = `@postpress/client/${version}`
