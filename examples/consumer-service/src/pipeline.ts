/**
 * An Effect pipeline: retrieve many accounts with bounded concurrency, turn
 * every typed error into data, and print a summary.
 *
 *   POSTPRESS_API_KEY=... POSTPRESS_BASE_URL=https://api.postpress.ai/api \
 *   POSTPRESS_ACCOUNT_IDS=acc_1,acc_2 node dist/src/pipeline.js
 *
 * Without POSTPRESS_BASE_URL it starts the mock server in the program's
 * scope (it stops when the program ends) and asks for the mock's accounts
 * plus a few it does not hold (so the summary shows errors).
 * Exit code 0 when every outcome is an account or a documented API error,
 * 1 when a transport error, a timeout, an outage or a contract violation
 * occurred (or the configuration is unusable).
 */
import { NodeFileSystem, NodeRuntime } from "@effect/platform-node"
import { AccountsClient, type ClientError } from "@postpress/client"
import { MockServer } from "@postpress/testkit"
import { Config, Console, Data, Effect, Option, Redacted } from "effect"

type Outcome =
  | { readonly ok: true; readonly type: string }
  | { readonly ok: false; readonly tag: ClientError.RetrieveError["_tag"]; readonly detail: string }

const retrieveOne = (id: string): Effect.Effect<Outcome, never, AccountsClient.AccountsClient> =>
  AccountsClient.retrieve(id).pipe(
    Effect.map((account): Outcome => ({ ok: true, type: account.type })),
    Effect.catchAll((error) =>
      Effect.succeed<Outcome>({
        ok: false,
        tag: error._tag,
        detail: "type" in error ? String(error.type) : error.message
      })
    )
  )

const summarise = (outcomes: ReadonlyArray<Outcome>) => {
  const byType: Record<string, number> = {}
  const byError: Record<string, number> = {}
  for (const outcome of outcomes) {
    if (outcome.ok) byType[outcome.type] = (byType[outcome.type] ?? 0) + 1
    else byError[`${outcome.tag} ${outcome.detail}`] = (byError[`${outcome.tag} ${outcome.detail}`] ?? 0) + 1
  }
  return { requested: outcomes.length, retrieved: outcomes.filter((o) => o.ok).length, byType, byError }
}

const unhealthy = new Set(["TransportError", "TimeoutError", "Outage", "ContractViolation"])

class Unhealthy extends Data.TaggedError("Unhealthy")<{ readonly tags: ReadonlyArray<string> }> {
  override get message(): string {
    return `unhealthy outcomes: ${[...new Set(this.tags)].join(", ")}`
  }
}

/** Where to send the requests: the API the environment names, or a mock living as long as the scope. */
const target = Effect.gen(function* () {
  const baseUrl = yield* Config.option(Config.nonEmptyString("POSTPRESS_BASE_URL"))
  if (Option.isSome(baseUrl)) {
    return {
      baseUrl: baseUrl.value,
      apiKey: yield* Config.redacted("POSTPRESS_API_KEY"),
      ids: yield* Config.array(Config.nonEmptyString(), "POSTPRESS_ACCOUNT_IDS").pipe(Config.withDefault([]))
    }
  }
  const mock = yield* MockServer.make({ seed: 3 })
  const [own, other] = mock.workspaces
  return {
    baseUrl: mock.url,
    apiKey: Redacted.make(own!.apiKey),
    ids: [...own!.accountIds, "acc_unknown_1", "acc_unknown_2", other!.accountIds[0]!]
  }
})

const program = Effect.gen(function* () {
  const { baseUrl, apiKey, ids } = yield* target
  const outcomes = yield* Effect.forEach(ids, retrieveOne, { concurrency: 8 }).pipe(
    Effect.provide(AccountsClient.layer({ apiKey, baseUrl }))
  )
  yield* Console.log(JSON.stringify(summarise(outcomes), null, 2))
  const tags = outcomes.flatMap((o) => (!o.ok && unhealthy.has(o.tag) ? [o.tag] : []))
  if (tags.length > 0) return yield* new Unhealthy({ tags })
}).pipe(
  Effect.scoped,
  Effect.provide(NodeFileSystem.layer),
  Effect.tapError((error) => Console.error(error.message))
)

NodeRuntime.runMain(program, { disableErrorReporting: true })
