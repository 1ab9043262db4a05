/**
 * A client that survives the API's next provider (`unknownTypes: "keep"`):
 * an account whose type is none of the 14 comes back as an `UnknownAccount`
 * instead of a `ContractViolation`; everything else (the known types, the
 * id rule, the default) is unchanged; the option's type decides what
 * `retrieve` returns and which tag a layer provides. Over an in-memory
 * transport.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { expect, it } from "@effect/vitest"
import { Account } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { describe, expectTypeOf } from "vitest"
import * as AccountsClient from "../src/AccountsClient.js"
import { account } from "./support/fixtures.js"
import { mockClient, testKey } from "./support/mock.js"

const bluesky = { ...account, type: "BLUESKY", connection_params: { im: { handle: "ada.example" } } }
const base = { apiKey: Redacted.make(testKey), baseUrl: "http://api.test/api", maxRetries: 0 } as const

const answering = (body: unknown) => mockClient(() => ({ status: 200, body })).client

const keeping = (body: unknown) =>
  AccountsClient.make({ ...base, unknownTypes: "keep" }).pipe(
    Effect.provideService(HttpClient.HttpClient, answering(body))
  )

const failing = (body: unknown) =>
  AccountsClient.make(base).pipe(Effect.provideService(HttpClient.HttpClient, answering(body)))

describe("unknownTypes: keep", () => {
  it.effect("returns an account of a 15th type as an UnknownAccount, raw as received", () =>
    Effect.gen(function* () {
      const client = yield* keeping(bluesky)
      const got = yield* client.retrieve(account.id)
      expect(Account.isUnknownAccount(got)).toBe(true)
      expect(got).toMatchObject({ _tag: "UnknownAccount", type: "BLUESKY", id: account.id, name: account.name })
      if (Account.isUnknownAccount(got)) expect(got.raw).toEqual(bluesky)
    })
  )

  it.effect("fails with a ContractViolation naming the type by default (the spec has 14)", () =>
    Effect.gen(function* () {
      const client = yield* failing(bluesky)
      const error = yield* Effect.flip(client.retrieve(account.id))
      expect(error._tag).toBe("ContractViolation")
      expect(error._tag === "ContractViolation" && error.issues.join("\n")).toMatch(/^type: expected .*got "BLUESKY"/m)
    })
  )

  it.effect("changes nothing for a known type, nor for the id rule", () =>
    Effect.gen(function* () {
      const known = yield* (yield* keeping(account)).retrieve(account.id)
      expect(known).toEqual(yield* (yield* failing(account)).retrieve(account.id))
      const wrongId = yield* Effect.flip((yield* keeping(bluesky)).retrieve("acc_other"))
      expect(wrongId._tag).toBe("ContractViolation")
      // An unknown type without its common fields is a broken account, not a new type.
      const { id: _, ...noId } = bluesky
      const broken = yield* Effect.flip((yield* keeping(noId)).retrieve(account.id))
      expect(broken._tag === "ContractViolation" && broken.issues.join("\n")).toMatch(/^id: /m)
    })
  )

  it.effect("refuses an unknownTypes that is neither fail nor keep, naming it", () =>
    Effect.gen(function* () {
      const options = { ...base, unknownTypes: "maybe" } as unknown as AccountsClient.Options
      const error = yield* Effect.flip(
        AccountsClient.make(options).pipe(Effect.provideService(HttpClient.HttpClient, answering(bluesky)))
      )
      expect(error).toMatchObject({ argument: "unknownTypes", reason: 'expected "fail" or "keep", got "maybe"' })
    })
  )

  it.effect("a keeping layer provides TolerantAccountsClient, a failing one AccountsClient", () =>
    Effect.gen(function* () {
      const transport = Layer.succeed(HttpClient.HttpClient, answering(bluesky))
      const tolerant = AccountsClient.layerWithoutHttpClient({ ...base, unknownTypes: "keep" })
      const got = yield* Effect.flatMap(AccountsClient.TolerantAccountsClient, (c) => c.retrieve(account.id)).pipe(
        Effect.provide(tolerant.pipe(Layer.provide(transport)))
      )
      expect(got.type).toBe("BLUESKY")
      const strict = AccountsClient.layerWithoutHttpClient(base)
      const error = yield* Effect.flip(
        AccountsClient.retrieve(account.id).pipe(Effect.provide(strict.pipe(Layer.provide(transport))))
      )
      expect(error._tag).toBe("ContractViolation")
    })
  )

  it("types: what retrieve returns, and which tag a layer provides, follow the option", () => {
    expectTypeOf(AccountsClient.make({ ...base, unknownTypes: "keep" })).toEqualTypeOf<
      Effect.Effect<
        AccountsClient.Service<Account.Account | Account.UnknownAccount>,
        import("../src/ClientError.js").InvalidArgument,
        HttpClient.HttpClient
      >
    >()
    expectTypeOf(AccountsClient.make(base)).toEqualTypeOf<
      Effect.Effect<AccountsClient.Service, import("../src/ClientError.js").InvalidArgument, HttpClient.HttpClient>
    >()
    expectTypeOf(AccountsClient.layer({ ...base, unknownTypes: "keep" })).toEqualTypeOf<
      Layer.Layer<AccountsClient.TolerantAccountsClient, import("../src/ClientError.js").InvalidArgument>
    >()
    expectTypeOf(AccountsClient.layer({ ...base, unknownTypes: "fail" })).toEqualTypeOf<
      Layer.Layer<AccountsClient.AccountsClient, import("../src/ClientError.js").InvalidArgument>
    >()
    expectTypeOf(AccountsClient.layerConfig({ unknownTypes: "keep" })).toExtend<
      Layer.Layer<AccountsClient.TolerantAccountsClient, unknown>
    >()
  })
})
