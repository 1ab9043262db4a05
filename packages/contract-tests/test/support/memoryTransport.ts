/**
 * A `ContractTransport` without sockets, for tests of the suite as Effect
 * code: every request is answered in-process by a function of the test's
 * choosing (an Effect: it may wait on the clock, never answer, or fail), so
 * `TestClock` drives whole runs, and the requests it got are recorded.
 * `conformant` answers like a correct server of the spec (the tiny server's
 * rules, in memory).
 */
import { SpecExample } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import type { ExchangeError } from "../../src/ContractError.js"
import { ContractTransport, type TransportRequest, type TransportResponse } from "../../src/ContractTransport.js"
import { KEY } from "../broken-servers/TinyServer.js"

/** How a scripted transport answers the `n`-th request (0-based). */
export type Answer = (request: TransportRequest, n: number) => Effect.Effect<TransportResponse, ExchangeError>

/** A JSON answer. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): TransportResponse => {
  const text = JSON.stringify(body)
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: text,
    bodyBytes: Buffer.byteLength(text)
  }
}

/** The id a request asks for (the last path segment, decoded). */
export const idOf = (request: TransportRequest): string =>
  decodeURIComponent(request.path.split("?")[0]?.split("/").pop() ?? "")

/** A correct server of the spec for `ids` and {@link KEY}: 200 with the id as given, 404, 401 by the rules. */
export const conformant =
  (
    ids: ReadonlyArray<string>,
    account: (id: string) => unknown = (id) => ({ ...SpecExample.retrieveAccountResponse, id })
  ): Answer =>
  (request) => {
    // Header names are case-insensitive (credential_placement sends the key header in other letter case).
    const key = Object.entries(request.headers).find(([name]) => name.toLowerCase() === "x-api-key")?.[1]
    if (key === undefined)
      return Effect.succeed(json(401, { title: "Unauthorized", type: "errors/missing_credentials", status: 401 }))
    if (key !== KEY)
      return Effect.succeed(json(401, { title: "Unauthorized", type: "errors/invalid_credentials", status: 401 }))
    const id = idOf(request)
    return Effect.succeed(
      ids.includes(id)
        ? json(200, account(id))
        : json(404, { title: "Not Found", type: "errors/resource_not_found", status: 404 })
    )
  }

/** The layer answering with `answer`, and every request it was given, in order. */
export const scripted = (answer: Answer) =>
  Effect.map(Ref.make<ReadonlyArray<TransportRequest>>([]), (sent) => ({
    sent: Ref.get(sent),
    layer: Layer.succeed(ContractTransport, {
      send: (request: TransportRequest) =>
        Effect.flatMap(
          Ref.modify(sent, (all) => [all.length, [...all, request]] as const),
          (n) => answer(request, n)
        )
    })
  }))
