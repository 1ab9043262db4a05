/**
 * Builds the `postpress` program into `dist/`: one esbuild bundle from the
 * TypeScript sources (the `@postpress/source` condition), so the published
 * package has no runtime dependencies to install, plus one chunk per command
 * body (`import()` in the commands), so each command loads only its code.
 *
 * Run with `pnpm --filter @postpress/cli build`; tests and the bench call
 * {@link build} themselves.
 */
import { chmod, rm } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import * as esbuild from "esbuild"

const packageDir = fileURLToPath(new URL("..", import.meta.url))

/** The built program, as `node <bin>` runs it. */
export const bin = fileURLToPath(new URL("../dist/postpress.js", import.meta.url))

/** The program run from source, as the root scripts do (`tsx`). */
export const sourceBin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

/**
 * Bundles the program into `outdir` (default `dist/`, emptied first) and
 * returns the path of its executable.
 */
export const build = async (outdir = `${packageDir}/dist`): Promise<string> => {
  await rm(outdir, { recursive: true, force: true })
  await esbuild.build({
    absWorkingDir: packageDir,
    entryPoints: { postpress: "src/bin.ts" },
    outdir,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    conditions: ["@postpress/source"],
    minify: true,
    legalComments: "linked",
    logLevel: "warning",
    // ws asks for these optional native accelerators inside try/catch.
    external: ["bufferutil", "utf-8-validate"],
    // Bundled CommonJS (undici, ws, ...) may call require for Node built-ins.
    banner: {
      js: 'import { createRequire as __ppCreateRequire } from "node:module";const require = __ppCreateRequire(import.meta.url);'
    }
  })
  const executable = `${outdir}/postpress.js`
  await chmod(executable, 0o755)
  return executable
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build()
}
