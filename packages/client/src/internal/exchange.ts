/**
 * One HTTP exchange of an attempt: the request sent, the body read within
 * the limit (so the connection is reused), same-origin redirects followed,
 * and the answer turned into an Account or a typed error. No retry, no
 * timeout: those belong to the attempt around it (./retry.ts).
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { type Account, Printable } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as ClientError from "../ClientError.js"
import * as Body from "./body.js"
import * as Response from "./response.js"
import * as Transport from "./transport.js"

/**
 * What every exchange of one client shares.
 *
 * @internal
 */
export interface Exchange {
  readonly execute: HttpClient.HttpClient["execute"]
  /** The request with its headers; each exchange only sets the URL. */
  readonly template: HttpClientRequest.HttpClientRequest
  /** Redirects are followed within this origin only. */
  readonly origin: string
  readonly maxRedirects: number
  readonly maxResponseBytes: number
  /** THE masking function of every postpress tool, for this client's key. */
  readonly scrub: (text: string) => string
  /** The 200 body's decoder: an unknown account type fails, or is kept as an `UnknownAccount`. */
  readonly decode: Response.AccountDecode
}

/** One request of an exchange: the account asked for, where, after how many redirects, in which attempt. */
interface Hop {
  readonly id: string
  readonly url: string
  readonly hops: number
  readonly attempts: number
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** A transport error's detail is the transport's words: a sentence, not a page. */
const maxDetailChars = 300

const transportError = (exchange: Exchange, hop: Hop, cause: HttpClientError.HttpClientError) => {
  const { reason, code, detail } = Transport.classify(cause)
  return new ClientError.TransportError({
    reason,
    // The transport's words may quote the server's bytes (a bad status line): no key, no control byte.
    detail: Printable.text(Response.truncate(exchange.scrub(detail), maxDetailChars)),
    attempts: hop.attempts,
    ...(code === undefined ? {} : { code })
  })
}

/** Where a redirect leads, or why it is not followed. */
const redirectTarget = (exchange: Exchange, hop: Hop, location: string): URL | string => {
  let target: URL
  try {
    target = new URL(location, hop.url)
  } catch {
    return "redirect with an invalid location not followed"
  }
  if (target.origin !== exchange.origin) return `redirect to another origin (${target.origin}) not followed`
  return hop.hops < exchange.maxRedirects ? target : `more than ${exchange.maxRedirects} redirects`
}

/** An answer that is not a 2xx with a body within the limit: a redirect to follow, or the typed error it is. */
const notAnAccount = (
  exchange: Exchange,
  hop: Hop,
  status: number,
  headers: Response.Meta["headers"],
  body: Body.Body
): Effect.Effect<Account.AccountOrUnknown, ClientError.RetrieveError> =>
  Effect.flatMap(Clock.currentTimeMillis, (nowMs) => {
    const meta: Response.Meta = { status, headers, attempts: hop.attempts, nowMs, scrub: exchange.scrub }
    if (body._tag === "TooLarge") {
      return Effect.fail(Response.tooLarge(meta, exchange.maxResponseBytes, body.received, body.complete))
    }
    const location = headers.location
    if (!REDIRECTS.has(status) || location === undefined) return Effect.fail(Response.failure(meta, body.text))
    const target = redirectTarget(exchange, hop, location)
    return typeof target === "string"
      ? Effect.fail(Response.failure(meta, body.text, exchange.scrub(target)))
      : send(exchange, { ...hop, url: target.href, hops: hop.hops + 1 })
  })

const send = (exchange: Exchange, hop: Hop): Effect.Effect<Account.AccountOrUnknown, ClientError.RetrieveError> =>
  Effect.matchEffect(exchange.execute(HttpClientRequest.setUrl(exchange.template, hop.url)), {
    onFailure: (cause) => Effect.fail(transportError(exchange, hop, cause)),
    onSuccess: (response) => {
      const { status, headers } = response
      return Effect.matchEffect(Body.read(response, headers, exchange.maxResponseBytes), {
        onFailure: (cause) => Effect.fail(transportError(exchange, hop, cause)),
        onSuccess: (body) =>
          // Recorded on the call's span: the last answer's status is the call's.
          Effect.zipRight(
            Effect.annotateCurrentSpan("http.response.status_code", status),
            body._tag === "Text" && status >= 200 && status < 300
              ? Response.success(
                  { status, headers, attempts: hop.attempts, nowMs: 0, scrub: exchange.scrub },
                  body.text,
                  hop.id,
                  exchange.decode
                )
              : notAnAccount(exchange, hop, status, headers, body)
          )
      })
    }
  })

/**
 * One exchange for account `id` at `url`, in attempt number `attempts`.
 *
 * @internal
 */
export const exchange = (
  exchange: Exchange,
  id: string,
  url: string,
  attempts: number
): Effect.Effect<Account.AccountOrUnknown, ClientError.RetrieveError> => send(exchange, { id, url, hops: 0, attempts })
