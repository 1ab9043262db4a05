/**
 * The client's config is decoded ONCE: `make`, `layer` and
 * `layerWithoutHttpClient` take options or a decoded `AccountsClient.Config`,
 * and take a `Config` as it is (the CLI's `accounts get` decodes its flags
 * into it, then passes it). What proves it: a `Config` made without
 * validation, holding a value the Schema refuses (`maxRedirects: -1`, never
 * read when no redirect comes), builds a working client; decoding it again
 * would fail with `InvalidArgument`, as the same value given as an option
 * still does. A decoded config, narrowed by `unknownTypes`, types the client
 * as the options do.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { expect, it } from "@effect/vitest"
import { SpecExample } from "@postpress/schema"
import type * as Account from "@postpress/schema/Account"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { describe, expectTypeOf } from "vitest"
import * as AccountsClient from "../src/AccountsClient.js"
import * as ClientError from "../src/ClientError.js"
import * as ClientConfig from "../src/internal/config.js"
import { mockClient, testKey } from "./support/mock.js"

const apiKey = Redacted.make(testKey)
const account = SpecExample.retrieveAccountResponse

/** A client's config as decoding would never give it: taken as it is, or refused if decoded again. */
const unvalidated = (): AccountsClient.KeepingConfig | AccountsClient.FailingConfig =>
  new ClientConfig.Config({ apiKey, maxRedirects: -1, unknownTypes: "fail" }, true)

describe("a decoded AccountsClient.Config", () => {
  it.effect("make takes it as it is: a value decoding refuses still builds a client that retrieves", () =>
    Effect.gen(function* () {
      const config = unvalidated()
      expect(config).toBeInstanceOf(AccountsClient.Config)
      if (config.unknownTypes === "keep") throw new Error("a failing config was made")
      const { client, calls } = mockClient(() => ({ status: 200, body: account }))
      const service = yield* AccountsClient.make(config).pipe(Effect.provideService(HttpClient.HttpClient, client))
      const retrieved = yield* service.retrieve(account.id)
      expect(retrieved.id).toBe(account.id)
      expect(calls).toHaveLength(1)
    })
  )

  it.effect("layerWithoutHttpClient takes it as it is too", () =>
    Effect.gen(function* () {
      const config = unvalidated()
      if (config.unknownTypes === "keep") throw new Error("a failing config was made")
      const { client } = mockClient(() => ({ status: 200, body: account }))
      const retrieved = yield* AccountsClient.retrieve(account.id).pipe(
        Effect.provide(
          AccountsClient.layerWithoutHttpClient(config).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
          )
        )
      )
      expect(retrieved.id).toBe(account.id)
    })
  )

  it.effect("the same value as an option is still decoded, and refused with InvalidArgument", () =>
    Effect.gen(function* () {
      const { client } = mockClient(() => ({ status: 200, body: account }))
      const error = yield* Effect.flip(
        AccountsClient.make({ apiKey, maxRedirects: -1 }).pipe(Effect.provideService(HttpClient.HttpClient, client))
      )
      expect(error).toBeInstanceOf(ClientError.InvalidArgument)
      expect(error.argument).toBe("maxRedirects")
    })
  )

  it("narrowed by unknownTypes, it types the client as the options do", () => {
    const config = Schema.decodeSync(AccountsClient.Config)({ apiKey, unknownTypes: "keep" })
    const narrowed: AccountsClient.KeepingConfig | AccountsClient.FailingConfig = config
    if (narrowed.unknownTypes === "keep") {
      expectTypeOf(AccountsClient.make(narrowed)).toEqualTypeOf<
        Effect.Effect<
          AccountsClient.Service<Account.AccountOrUnknown>,
          ClientError.InvalidArgument,
          HttpClient.HttpClient
        >
      >()
      expectTypeOf(AccountsClient.layer(narrowed)).toEqualTypeOf<
        Layer.Layer<AccountsClient.TolerantAccountsClient, ClientError.InvalidArgument>
      >()
    } else {
      expectTypeOf(AccountsClient.layer(narrowed)).toEqualTypeOf<
        Layer.Layer<AccountsClient.AccountsClient, ClientError.InvalidArgument>
      >()
    }
    expect(narrowed.unknownTypes).toBe("keep")
  })
})
