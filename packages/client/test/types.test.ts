/**
 * Type-level guarantees of the error channel.
 */
import type { ErrorCatalogue } from "@postpress/schema"
import * as Effect from "effect/Effect"
import { describe, expect, expectTypeOf, it } from "vitest"
import * as AccountsClient from "../src/AccountsClient.js"
import * as ClientError from "../src/ClientError.js"

const call = AccountsClient.retrieve("x")

describe("error channel types", () => {
  it("catchTags can handle every tag, leaving never", () => {
    const handled = call.pipe(
      Effect.catchTags({
        BadRequest: (e) => Effect.succeed(e.type),
        Unauthorized: (e) => Effect.succeed(e.type),
        NotFound: (e) => Effect.succeed(e.type),
        InternalServerError: (e) => Effect.succeed(e.type),
        ServiceUnavailable: (e) => Effect.succeed(e.type),
        GatewayTimeout: (e) => Effect.succeed(e.type),
        RateLimited: (e) => Effect.succeed(String(e.retryAfter)),
        Outage: (e) => Effect.succeed(e.contentType),
        UnexpectedStatus: (e) => Effect.succeed(String(e.status)),
        ContractViolation: (e) => Effect.succeed(e.issues.join()),
        ResponseTooLarge: (e) => Effect.succeed(String(e.limit)),
        TransportError: (e) => Effect.succeed(e.reason),
        TimeoutError: (e) => Effect.succeed(e.scope),
        InvalidArgument: (e) => Effect.succeed(e.argument)
      })
    )
    expectTypeOf<Effect.Effect.Error<typeof handled>>().toEqualTypeOf<never>()
    expectTypeOf<Effect.Effect.Context<typeof handled>>().toEqualTypeOf<AccountsClient.AccountsClient>()
  })

  it("leaving one tag out leaves exactly that error", () => {
    const partial = call.pipe(
      Effect.catchTags({
        BadRequest: () => Effect.void,
        Unauthorized: () => Effect.void,
        NotFound: () => Effect.void,
        InternalServerError: () => Effect.void,
        ServiceUnavailable: () => Effect.void,
        GatewayTimeout: () => Effect.void,
        RateLimited: () => Effect.void,
        Outage: () => Effect.void,
        UnexpectedStatus: () => Effect.void,
        ContractViolation: () => Effect.void,
        ResponseTooLarge: () => Effect.void,
        TransportError: () => Effect.void,
        InvalidArgument: () => Effect.void
      })
    )
    expectTypeOf<Effect.Effect.Error<typeof partial>>().toEqualTypeOf<ClientError.TimeoutError>()
  })

  it("each tier's type is that tier's literal union, from the schema catalogue", () => {
    expectTypeOf<ClientError.NotFound["type"]>().toEqualTypeOf<ErrorCatalogue.ErrorTypeOf<404>>()
    expectTypeOf<ClientError.ServiceUnavailable["type"]>().toEqualTypeOf<ErrorCatalogue.ErrorTypeOf<503>>()
    expectTypeOf<ClientError.GatewayTimeout["status"]>().toEqualTypeOf<504>()
    expectTypeOf<ClientError.RetrieveError["_tag"]>().toEqualTypeOf<(typeof ClientError.tags)[number]>()
  })

  it("the runtime tag list matches the classes", () => {
    expect(new Set(ClientError.tags).size).toBe(14)
    expect(Object.values(ClientError.byStatus).map((c) => c.status)).toEqual([400, 401, 404, 500, 503, 504])
  })
})
