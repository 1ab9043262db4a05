/**
 * Consumer-side coverage: this service's own client code, run against the
 * mock with coverage on, meets every account type, every documented error
 * type, a 429 with Retry-After, a retry after a 503, a 504 and a 429 (made by
 * the client's own retry policy), and an account carrying fields a later API
 * version may add, and one of a type it may add (kept, `unknownTypes: "keep"`). The last test asserts that the mock saw nothing missing,
 * so a behaviour this service stops testing fails its CI.
 *
 * The mock's per-request headers (`x-mock-fault`, `x-mock-sequence`,
 * `x-mock-retry-after`, `x-mock-extra-fields`, `x-mock-unknown-type`) reach it through the
 * `HttpClient` the client runs on, the way a test would add them.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { AccountsClient } from "@postpress/client"
import { Account, ErrorCatalogue } from "@postpress/schema"
import { MockCoverage, MockServer } from "@postpress/testkit"
import { Effect, Either, Layer, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let mock: MockServer.RunningMockServer

beforeAll(async () => {
  mock = await MockServer.startMockServer({ seed: 7, coverage: true })
})
afterAll(async () => {
  await mock.stop()
})

/** The platform's fetch client, with the mock's scripting headers on every request. */
const withHeaders = (headers: Record<string, string>): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, HttpClient.mapRequest(HttpClientRequest.setHeaders(headers)))
  ).pipe(Layer.provide(AccountsClient.fetchLayer))

/** What this service does: retrieve one account, every failure kept as a value. */
const retrieve = (id: string, headers: Record<string, string> = {}, options: Partial<AccountsClient.Options> = {}) =>
  Effect.runPromise(
    AccountsClient.retrieve(id).pipe(
      Effect.either,
      Effect.provide(
        AccountsClient.layerWithoutHttpClient({
          apiKey: Redacted.make(mock.workspaces[0]!.apiKey),
          baseUrl: mock.url,
          initialDelay: "5 millis",
          ...options
        }).pipe(Layer.provide(withHeaders(headers)))
      )
    )
  )

describe("the service against every behaviour of the API", () => {
  it("reads an account of each of the 14 types (the fixtures name each id's type)", async () => {
    for (const { id, type } of mock.workspaces[0]!.accounts) {
      const result = await retrieve(id)
      expect(Either.isRight(result) && result.right.type).toBe(type)
    }
  })

  it("gets every documented error type as a typed error of its tier", async () => {
    const id = mock.workspaces[0]!.accountIds[0]!
    for (const { status, type } of ErrorCatalogue.catalogue) {
      const result = await retrieve(id, { "x-mock-fault": `${status}:${type}` }, { maxRetries: 0 })
      expect(Either.isLeft(result) && result.left).toMatchObject({ status, type })
    }
  })

  it.each([503, 504, 429])("retries after a %d and then succeeds", async (status) => {
    const result = await retrieve(mock.workspaces[0]!.accountIds[0]!, {
      "x-mock-fault": `${status},200`,
      "x-mock-sequence": `consumer-retry-${status}`,
      // A 429 always carries Retry-After; 0 s keeps the test fast.
      "x-mock-retry-after": "0"
    })
    expect(Either.isRight(result)).toBe(true)
  })

  it("reads an account carrying fields a later API version may add", async () => {
    const result = await retrieve(mock.workspaces[0]!.accountIds[1]!, { "x-mock-extra-fields": "1" })
    expect(Either.isRight(result)).toBe(true)
  })

  it("reads an account of a type the API may add, kept as an UnknownAccount (x-mock-unknown-type)", async () => {
    const result = await Effect.runPromise(
      Effect.flatMap(AccountsClient.TolerantAccountsClient, (client) =>
        client.retrieve(mock.workspaces[0]!.accountIds[0]!)
      ).pipe(
        Effect.either,
        Effect.provide(
          AccountsClient.layerWithoutHttpClient({
            apiKey: Redacted.make(mock.workspaces[0]!.apiKey),
            baseUrl: mock.url,
            unknownTypes: "keep"
          }).pipe(Layer.provide(withHeaders({ "x-mock-unknown-type": "1" })))
        )
      )
    )
    const account = Either.getOrThrow(result)
    expect(Account.isUnknownAccount(account) && account.type).toBe("MOCK_LATER_PROVIDER")
  })

  // Last, after the tests above (a file's tests run in order): what they never met fails the build.
  it("left no account type, error type or behaviour unmet", async () => {
    const report = await mock.coverage()
    expect(MockCoverage.summaryLines(report, mock.workspaces).slice(1)).toEqual([])
    expect(report.missing).toEqual({ types: [], errors: [], behaviours: [] })
  })
})
