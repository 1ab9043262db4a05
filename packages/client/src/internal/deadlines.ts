/**
 * The registry through which the client hands attempt deadlines to a
 * transport that enforces them itself (the default undici transport). It is
 * kept apart from that transport so that programs on another `HttpClient`
 * (fetch, edge runtimes) do not bundle undici.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"

/**
 * Absolute deadlines (`Date.now()` time) of requests, set by the client for
 * requests it sends through a transport that {@link enforcesDeadlines}.
 * Keyed by the request object handed to `execute`: the client turns the
 * platform's tracing off, the only step that would replace it with a copy
 * (a missed deadline would fall back to no limit, so AccountsClient's tests
 * cover the timeouts end to end).
 *
 * @internal
 */
export const deadlines = new WeakMap<HttpClientRequest.HttpClientRequest, number>()

/** The abort reason of a request whose deadline passed. @internal */
export const timedOut = { _tag: "AttemptTimedOut" } as const

/** @internal */
export const isTimedOut = (error: HttpClientError.HttpClientError): boolean => error.cause === timedOut

const clients = new WeakSet<HttpClient.HttpClient>()

/** Marks a client as one that enforces {@link deadlines} itself. @internal */
export const registerEnforcing = (client: HttpClient.HttpClient): void => {
  clients.add(client)
}

/** @internal */
export const enforcesDeadlines = (client: HttpClient.HttpClient): boolean => clients.has(client)
