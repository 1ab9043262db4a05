/**
 * Builds the program ONCE per test run, into a private temporary folder (so
 * a concurrent `pnpm build` or another run cannot swap it mid-test); tests
 * spawn it as users do: `node <dir>/postpress.js`.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { TestProject } from "vitest/node"
import { build } from "../../scripts/build.js"

declare module "vitest" {
  export interface ProvidedContext {
    readonly postpressBin: string
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "postpress-cli-test-"))
  project.provide("postpressBin", await build(join(dir, "dist")))
  return () => rmSync(dir, { recursive: true, force: true })
}
