/**
 * Calling the mock server with the client and handling every error tag.
 */
import { AccountsClient, ClientError } from "@postpress/client"
import { MockServer } from "@postpress/testkit"
import { Effect, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let mock: MockServer.RunningMockServer

beforeAll(async () => {
  mock = await MockServer.startMockServer({ seed: 7 })
})
afterAll(async () => {
  await mock.stop()
})

/** What this service does with each outcome: every tag is handled, none is left to a defect. */
const outcome = (id: string, apiKey: string) =>
  AccountsClient.retrieve(id).pipe(
    Effect.map((account) => `ok:${account.type}`),
    Effect.catchTags({
      BadRequest: (e) => Effect.succeed(`bad-request:${e.type}`),
      Unauthorized: (e) => Effect.succeed(`unauthorized:${e.type}`),
      NotFound: (e) => Effect.succeed(`not-found:${e.type}`),
      InternalServerError: (e) => Effect.succeed(`server-error:${e.type}`),
      ServiceUnavailable: (e) => Effect.succeed(`unavailable:${e.type}`),
      GatewayTimeout: (e) => Effect.succeed(`gateway-timeout:${e.type}`),
      RateLimited: (e) => Effect.succeed(`rate-limited:${e.retryAfter === undefined ? "-" : e.retryAfter.toString()}`),
      UnexpectedStatus: (e) => Effect.succeed(`unexpected:${e.status}`),
      ContractViolation: (e) => Effect.succeed(`violation:${e.message}`),
      ResponseTooLarge: (e) => Effect.succeed(`too-large:${e.limit}`),
      TransportError: (e) => Effect.succeed(`transport:${e.reason}`),
      TimeoutError: () => Effect.succeed("timeout"),
      InvalidArgument: (e) => Effect.succeed(`invalid-argument:${e.message}`)
    }),
    Effect.provide(AccountsClient.layer({ apiKey: Redacted.make(apiKey), baseUrl: mock.url, maxRetries: 0 }))
  )

describe("the client against the mock", () => {
  it("retrieves an account of the caller's workspace", async () => {
    const [own] = mock.workspaces
    const id = own!.accountIds[0]!
    expect(await Effect.runPromise(outcome(id, own!.apiKey))).toMatch(/^ok:[A-Z_]+$/)
  })

  it("maps unknown ids, foreign ids and bad keys to typed errors", async () => {
    const [own, other] = mock.workspaces
    expect(await Effect.runPromise(outcome("acc_does_not_exist", own!.apiKey))).toBe(
      "not-found:errors/resource_not_found"
    )
    expect(await Effect.runPromise(outcome(other!.accountIds[0]!, own!.apiKey))).toBe(
      "not-found:errors/resource_not_found"
    )
    expect(await Effect.runPromise(outcome(own!.accountIds[0]!, "pp_wrong_key"))).toBe(
      "unauthorized:errors/invalid_credentials"
    )
  })

  it("refuses an id that cannot travel as one path segment, before any request", async () => {
    expect(await Effect.runPromise(outcome("..", mock.workspaces[0]!.apiKey))).toMatch(/^invalid-argument:/)
  })

  it("exposes the error tags it can fail with", () => {
    expect([...ClientError.tags].sort()).toEqual(
      [
        "BadRequest",
        "ContractViolation",
        "GatewayTimeout",
        "InternalServerError",
        "InvalidArgument",
        "NotFound",
        "Outage",
        "RateLimited",
        "ResponseTooLarge",
        "ServiceUnavailable",
        "TimeoutError",
        "TransportError",
        "Unauthorized",
        "UnexpectedStatus"
      ].sort()
    )
  })
})
