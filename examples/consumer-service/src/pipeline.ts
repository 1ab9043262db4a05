/**
 * An Effect pipeline: retrieve many accounts with bounded concurrency, turn
 * every typed error into data, and print a summary.
 *
 *   POSTPRESS_API_KEY=... POSTPRESS_BASE_URL=https://api.postpress.ai/api \
 *   POSTPRESS_ACCOUNT_IDS=acc_1,acc_2 node dist/src/pipeline.js
 *
 * Without POSTPRESS_BASE_URL it starts the mock server and asks for the
 * mock's accounts plus a few it does not hold (so the summary shows errors).
 * Exit code 0 when every outcome is an account or a documented API error,
 * 1 when a transport error, a timeout, an outage or a contract violation occurred.
 */
import { AccountsClient, type ClientError } from "@postpress/client"
import { MockServer } from "@postpress/testkit"
import { Effect, Redacted } from "effect"

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

const main = async () => {
  let mock: MockServer.RunningMockServer | undefined
  let baseUrl = process.env.POSTPRESS_BASE_URL
  let apiKey = process.env.POSTPRESS_API_KEY ?? ""
  let ids = (process.env.POSTPRESS_ACCOUNT_IDS ?? "").split(",").filter((id) => id !== "")
  if (baseUrl === undefined) {
    mock = await MockServer.startMockServer({ seed: 3 })
    const [own, other] = mock.workspaces
    baseUrl = mock.url
    apiKey = own!.apiKey
    ids = [...own!.accountIds, "acc_unknown_1", "acc_unknown_2", other!.accountIds[0]!]
  }
  try {
    const outcomes = await Effect.runPromise(
      Effect.forEach(ids, retrieveOne, { concurrency: 8 }).pipe(
        Effect.provide(AccountsClient.layer({ apiKey: Redacted.make(apiKey), baseUrl }))
      )
    )
    const summary = summarise(outcomes)
    console.log(JSON.stringify(summary, null, 2))
    process.exitCode = outcomes.some((o) => !o.ok && unhealthy.has(o.tag)) ? 1 : 0
  } finally {
    await mock?.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
})
