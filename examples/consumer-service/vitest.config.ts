import { defineConfig } from "vitest/config"

// This project's own config, so vitest does not pick up the monorepo's from a parent folder.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 }
})
