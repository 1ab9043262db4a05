import { defineConfig } from "vitest/config"

// Workspace packages resolve to their TypeScript sources through this export
// condition, so tests never run against a stale `dist/`.
// The rest is Vite's default server condition list (setting `conditions` replaces it).
const conditions = ["@postpress/source", "module", "node", "development|production"]

// Tests that spawn a program, measure memory, or hold many servers live in `packages/*/test/integration/`.

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      // Pure and in-process (loopback servers only where the module under test is one): `pnpm test:unit`,
      // what a maintainer runs after every change, in under a minute on a 2-core machine.
      {
        extends: true as const,
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts"],
          exclude: ["packages/*/test/integration/**"],
          // `pnpm test` runs the unit project first, on its own, then integration and docs together.
          sequence: { groupOrder: 0 },
          // Importing effect, @effect/platform and the packages dominates a run (collect ≈ tests): worker
          // threads that keep their module cache between files import them once per worker (the threads
          // pool is not isolated, below). Safe because no unit test mutates a global (no vi.mock,
          // stubGlobal, process.env writes or process handlers).
          pool: "threads",
          // …which is why each file first gets @effect/vitest's plain methods back (see the file).
          setupFiles: ["scripts/vitest/resetEffectVitest.ts"]
        }
      },
      // Spawned programs (the CLI as users run it, built once by esbuild in the globalSetup; tsx; node),
      // memory bounds, signals, and runs against many loopback servers. Spawned processes are slow on a
      // loaded 2-core machine: a longer timeout, not a flaky one.
      {
        extends: true as const,
        test: {
          name: "integration",
          include: ["packages/*/test/integration/**/*.test.ts"],
          globalSetup: "packages/cli/test/support/globalSetup.ts",
          testTimeout: 120_000,
          sequence: { groupOrder: 1 }
        }
      },
      // Docs and repo consistency: every README snippet and @example compiles (one tsc run) and the
      // runnable ones run (scripts/snippets); generated version modules match package.json; exports.
      {
        extends: true as const,
        test: {
          name: "docs",
          include: ["scripts/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 1 }
        }
      }
    ],
    // CI asks for a JSON report too (`VITEST_JSON=path`), to print a pass/fail summary line.
    ...(process.env.VITEST_JSON
      ? { reporters: ["default", "json"], outputFile: { json: process.env.VITEST_JSON } }
      : {}),
    // Pool options are global in vitest 3 (a project picks its pool, not its pool's settings): the
    // threads pool (unit) reuses its workers' module cache; the forks pool (integration, docs: spawned
    // programs, memory, timing) keeps every file isolated. Both use both cores (vitest's default on 2
    // cores is ONE worker); the groups above keep the two pools from running at the same time.
    poolOptions: {
      threads: { isolate: false, maxThreads: 2, minThreads: 1 },
      forks: { isolate: true, maxForks: 2, minForks: 1 }
    },
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
