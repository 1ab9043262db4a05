/**
 * The entry point of the client README, verbatim: run as a process by the
 * configuration test, which checks that a missing key prints one line.
 */
import { NodeRuntime } from "@effect/platform-node"
import { AccountsClient } from "@postpress/client"
import { Console, Effect } from "effect"

const program = Effect.gen(function* () {
  const account = yield* AccountsClient.retrieve(process.argv[2] ?? "acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
  yield* Console.log(account.type, account.name)
})

program.pipe(
  Effect.provide(AccountsClient.layerConfig()),
  // One line per failure (e.g. "POSTPRESS_API_KEY is not set: ..."), exit code 1.
  Effect.tapError((error) => Console.error(`accounts: ${error.message}`)),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
