/**
 * An in-memory HttpClient for TestClock tests: every call is recorded with
 * the (virtual) time it was made at, and answered by a handler.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as AccountsClient from "../../src/AccountsClient.js"

export interface Call {
  readonly at: number
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly signal: AbortSignal
}

/** What a handler answers: a status, a JSON-able body and headers; or `"hang"`. */
export type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | "hang"

export const mockClient = (handler: (index: number) => Answer) => {
  const calls: Array<Call> = []
  const client = HttpClient.make((request, url, signal) =>
    Effect.flatMap(Clock.currentTimeMillis, (at) => {
      const index = calls.length
      calls.push({ at, url: url.href, headers: request.headers, signal })
      const answer = handler(index)
      if (answer === "hang") return Effect.never
      const body = answer.body === undefined ? null : JSON.stringify(answer.body)
      const web = new Response(body, {
        status: answer.status,
        headers: { "content-type": "application/json", ...answer.headers }
      })
      return Effect.succeed(HttpClientResponse.fromWeb(request, web))
    })
  )
  return { client, calls }
}

export const testKey = "pp_test_key_0123456789"

/** The service over a mock transport. */
export const clientOn = (client: HttpClient.HttpClient, options: Partial<AccountsClient.Options> = {}) =>
  AccountsClient.make({ apiKey: Redacted.make(testKey), baseUrl: "http://api.test/api", ...options }).pipe(
    Effect.provideService(HttpClient.HttpClient, client)
  )
