/**
 * The `postpress` program's main, the one place that touches the process:
 * argv, the signals, the streams and the exit. All behaviour lives in
 * `Cli.run`, an `Effect<ExitCode, never>`; this supplies the Node services
 * and the signals (`Signals`, completed by the first SIGINT/SIGTERM: each
 * command decides what a signal means, 130/143 or its verdict), runs it, and
 * exits with the code it returns.
 *
 * Output reaches a pipe whole before exit: on Node, writes to a pipe are
 * asynchronous, and `process.exit` drops whatever the reader has not taken
 * yet: a report bigger than the pipe buffer (64 KiB) was cut short when the
 * reader was slow. So the exit waits until stdout and stderr have handed
 * every byte to the reader.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"
import { ExitCode } from "./internal/exitCode.js"
import * as Signals from "./internal/signals.js"

// The first SIGINT/SIGTERM goes to the program; a second of the same kind finds no listener and ends
// the process the default way (a user who presses ^C twice means it).
const signals = Effect.runSync(Signals.make)
for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.once(name, () => Effect.runSync(signals.send(name)))
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
const environment = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer, signals.layer)

// A program waiting for a signal alone (an idle mock) holds no handle of its own: keep the process up.
const keepAlive = setInterval(() => {}, 2 ** 31 - 1)

const exit = (code: number): void => {
  clearInterval(keepAlive)
  process.exitCode = code
  void Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => process.exit(code))
}

// Cli.run cannot fail (its defects are exit 4 with one line); the rejection branch is for the impossible.
Effect.runPromise(Cli.run(process.argv).pipe(Effect.provide(environment))).then(exit, () =>
  exit(ExitCode.internalError)
)
