import { defaultServerConditions } from "vite"
import { defineConfig } from "vitest/config"

// Workspace packages resolve to their TypeScript sources through this export
// condition, so tests never run against a stale `dist/`.
const conditions = ["@postpress/source", ...defaultServerConditions]

const project = (name: string) => ({
  extends: true as const,
  test: { name, include: [`packages/${name}/test/**/*.test.ts`] }
})

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [project("schema"), project("client"), project("contract-tests")],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
