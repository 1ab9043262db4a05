/**
 * The `postpress` program's main: all behaviour lives in `Cli.run`; this only
 * supplies Node services and runs it under `NodeRuntime.runMain`, so SIGINT
 * and SIGTERM interrupt the program (in-flight requests are aborted and
 * finalizers run) and the process exits 130 or 143.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"
import { signalCodes } from "./internal/exit.js"

// runMain interrupts the program on either signal but does not say which;
// remember it for the exit code.
let signal: keyof typeof signalCodes | undefined
for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.once(name, () => {
    signal ??= name
  })
}

// What @effect/cli needs (file system, path, terminal) and no more: NodeContext
// would also load the child-process and worker services at every start.
const environment = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)

NodeRuntime.runMain(Cli.run(process.argv).pipe(Effect.provide(environment)), {
  disableErrorReporting: true,
  teardown: (exit, onExit) => {
    const code =
      Exit.isSuccess(exit) && typeof exit.value === "number"
        ? exit.value
        : typeof process.exitCode === "number"
          ? // A command that handles the signal itself (contract proxy: drain, reports) set its verdict.
            process.exitCode
          : signal === undefined
            ? 1
            : signalCodes[signal]
    process.exitCode = code
    onExit(code)
  }
})
