/**
 * The program's version, printed by `--version`. A test keeps it equal to
 * package.json (importing the JSON would put it outside `rootDir`).
 *
 * @internal
 */
export const version = "0.1.0"
