/**
 * The `postpress` program's main: all behaviour lives in `Cli.run`; this only
 * supplies Node services and runs it under `NodeRuntime.runMain`, so SIGINT
 * and SIGTERM interrupt the program (in-flight requests are aborted and
 * finalizers run) and the process exits 130 or 143.
 *
 * Output reaches a pipe whole before exit: on Node, writes to a pipe are
 * asynchronous, and `process.exit` (which `runMain` calls for every non-zero
 * code) drops whatever the reader has not taken yet: a report bigger than the
 * pipe buffer (64 KiB) was cut short when the reader was slow. So the exit
 * waits until stdout and stderr have handed every byte to the reader.
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
import * as VerdictExit from "./internal/verdictExit.js"

// runMain interrupts the program on either signal but does not say which;
// remember it for the exit code.
let signal: keyof typeof signalCodes | undefined
for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.once(name, () => {
    signal ??= name
  })
}

// A reader that went away (`postpress … | head -1`) is not an error of ours:
// without a listener, EPIPE would crash the program with a stack trace.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {})

/** Resolves once every byte written so far has left the stream (or the stream cannot take more). */
const drained = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve()
    // Callbacks run in write order: this one runs after everything before it is flushed.
    stream.write("", () => resolve())
  })

// What @effect/cli needs (file system, path, terminal) and no more: NodeContext
// would also load the child-process and worker services at every start.
const environment = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)

NodeRuntime.runMain(Cli.run(process.argv).pipe(Effect.provide(environment)), {
  disableErrorReporting: true,
  teardown: (exit, onExit) => {
    const code =
      Exit.isSuccess(exit) && typeof exit.value === "number"
        ? exit.value
        : VerdictExit.recordedCode() !== undefined
          ? // A command that ends on the signal with a verdict (contract proxy: drain, reports) recorded its code.
            VerdictExit.recordedCode()!
          : signal === undefined
            ? 1
            : signalCodes[signal]
    process.exitCode = code
    void Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => onExit(code))
  }
})
