/**
 * One version per package, read from its package.json: writes
 * `src/internal/packageVersion.ts` in every package that reports its version
 * (the client's `user-agent`, the CLI's `--version`, the proxy's HAR
 * `creator`). tsc, tsx and the CLI's esbuild bundle all compile that module,
 * so no build needs a JSON import outside `rootDir` or a define.
 *
 * Run by `pnpm generate` (after `changeset version` bumps a package.json);
 * scripts/versions.test.ts fails while a generated file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(import.meta.dirname, "..")

/** The packages whose code reports their own version. */
export const packages = ["client", "cli", "contract-tests"] as const

/**
 * Every package of the workspace: none may spell its version out in its
 * sources (those above read it from the generated module; the others never
 * report it, so they need none).
 */
export const allPackages = ["schema", "client", "testkit", "contract-tests", "schema-diff", "cli"] as const

/** Where a package's generated version module lives. */
export const modulePath = (name: string): string => join(root, "packages", name, "src", "internal", "packageVersion.ts")

/** The version in a package's package.json. */
export const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8")) as { version: string }).version

/** The generated module's text for a package. */
export const render = (name: string): string =>
  [
    "/**",
    ` * The version of @postpress/${name}, generated from its package.json by`,
    " * scripts/versions.ts (`pnpm generate`). Do not edit: a test fails when it",
    " * differs from package.json.",
    " *",
    " * @internal",
    " */",
    `export const version = ${JSON.stringify(versionOf(name))}`,
    ""
  ].join("\n")

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of packages) writeFileSync(modulePath(name), render(name))
}
