/**
 * The program's version, printed by `--version`: read from package.json at
 * build time through the generated ./packageVersion.ts (scripts/versions.ts),
 * which tsc, tsx and the esbuild bundle all compile.
 *
 * @internal
 */
export { version } from "./packageVersion.js"
