import { defineConfig } from "vitest/config"

// Workspace packages resolve to their TypeScript sources through this export
// condition, so tests never run against a stale `dist/`.
// The rest is Vite's default server condition list (setting `conditions` replaces it).
const conditions = ["@postpress/source", "module", "node", "development|production"]

const project = (name: string, extra: { readonly globalSetup?: string; readonly testTimeout?: number } = {}) => ({
  extends: true as const,
  test: { name, include: [`packages/${name}/test/**/*.test.ts`], ...extra }
})

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      project("schema"),
      project("client"),
      project("testkit"),
      project("contract-tests"),
      // The CLI is tested as users run it: built once (esbuild), then spawned.
      // Spawned processes are slow on a loaded 2-core machine: a longer timeout, not a flaky one.
      project("cli", { globalSetup: "packages/cli/test/support/globalSetup.ts", testTimeout: 120_000 }),
      // Docs and repo consistency: every README snippet and @example compiles (one tsc run) and the
      // runnable ones run (scripts/snippets); generated version modules match package.json.
      {
        extends: true as const,
        test: { name: "docs", include: ["scripts/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 300_000 }
      }
    ],
    // CI asks for a JSON report too (`VITEST_JSON=path`), to print a pass/fail summary line.
    ...(process.env.VITEST_JSON
      ? { reporters: ["default", "json"], outputFile: { json: process.env.VITEST_JSON } }
      : {}),
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
