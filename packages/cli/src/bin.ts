#!/usr/bin/env node
/**
 * The `postpress` executable. Turns on Node's module compile cache where it
 * exists (Node 22.1+; a no-op on Node 20), so later runs skip most of the
 * parsing that dominates start-up, then loads the program.
 *
 * @since 0.1.0
 */
import * as NodeModule from "node:module"

;(NodeModule as { readonly enableCompileCache?: () => unknown }).enableCompileCache?.()

await import("./main.js")
