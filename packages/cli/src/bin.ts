#!/usr/bin/env node
/**
 * The `postpress` executable. All behaviour lives in `Cli.run`; this only
 * supplies Node services and turns the result into the process exit code.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Cli from "./Cli.js"

Effect.runPromise(Cli.run(process.argv).pipe(Effect.provide(NodeContext.layer))).then(
  (code) => {
    process.exitCode = code
  },
  () => {
    // Unreachable by construction (`run` never fails); still no stack trace.
    process.stderr.write(`${JSON.stringify({ _tag: "InternalError", attempts: 0, message: "internal error" })}\n`)
    process.exitCode = 1
  }
)
