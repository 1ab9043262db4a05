/**
 * The real client (undici transport, `AccountsClient.layer`) for loopback
 * tests, kept open for the test's Scope.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as AccountsClient from "../../src/AccountsClient.js"
import type * as ClientError from "../../src/ClientError.js"
import { testKey } from "./mock.js"

/** Retries are kept fast here; their timing is tested under TestClock. */
export const liveClient = (origin: string, options: Partial<AccountsClient.Options> = {}) =>
  Effect.map(
    Layer.build(
      AccountsClient.layer({
        apiKey: Redacted.make(testKey),
        baseUrl: `${origin}/api`,
        initialDelay: "1 millis",
        maxDelay: "2 millis",
        ...options
      })
    ),
    (context) => Context.get(context, AccountsClient.AccountsClient)
  )

/**
 * The client on the transport a test picks (`layerWithoutHttpClient`), with
 * the test key and only the options given.
 */
export const clientOn = (
  transport: Layer.Layer<HttpClient.HttpClient>,
  options: { readonly baseUrl: string } & Partial<AccountsClient.Options>
) =>
  Effect.map(
    Layer.build(
      AccountsClient.layerWithoutHttpClient({ apiKey: Redacted.make(testKey), ...options }).pipe(
        Layer.provide(transport)
      )
    ),
    (context) => Context.get(context, AccountsClient.AccountsClient)
  )

export const failureOf = <A>(exit: Exit.Exit<A, ClientError.RetrieveError>): ClientError.RetrieveError => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error(`expected a failure, got ${String(exit)}`)
  return exit.cause.error
}
