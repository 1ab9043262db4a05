/**
 * Run as its own process by the memory test: retrieves one account from each
 * base URL given on the command line with `AccountsClient.layer` (what
 * `postpress accounts get` uses), then prints one JSON line: the error tag of
 * each call and the process's peak RSS.
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as AccountsClient from "../../src/AccountsClient.js"

const tags: Array<string> = []
for (const baseUrl of process.argv.slice(2)) {
  const exit = await Effect.runPromiseExit(
    AccountsClient.retrieve("acc_1").pipe(
      Effect.provide(AccountsClient.layer({ apiKey: Redacted.make("pp_test_key_0123456789"), baseUrl }))
    )
  )
  tags.push(exit._tag === "Success" ? "ok" : exit.cause._tag === "Fail" ? exit.cause.error._tag : exit.cause._tag)
}
console.log(JSON.stringify({ tags, maxRssBytes: process.resourceUsage().maxRSS * 1024 }))
