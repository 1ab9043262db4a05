/**
 * HAR 1.2 recordings for tests, as a recorder writes the plain case: one
 * entry per exchange, headers as name/value lists, the body as decoded text.
 * (Tests about a particular recorder's quirks — devtools' extra fields,
 * mitmproxy's base64 — write their entries out in full instead.)
 */

export interface HarExchange {
  readonly url: string
  readonly status?: number
  readonly requestHeaders?: Readonly<Record<string, string>>
  readonly responseHeaders?: Readonly<Record<string, string>>
  /** The response body as text; none when absent. */
  readonly body?: string
  readonly mimeType?: string
  readonly time?: number
}

const pairs = (headers: Readonly<Record<string, string>> = {}) =>
  Object.entries(headers).map(([name, value]) => ({ name, value }))

/** One HAR entry for a GET of `url` and its answer. */
export const harEntry = (exchange: HarExchange) => ({
  startedDateTime: "2030-01-01T00:00:00.000Z",
  time: exchange.time ?? 1,
  request: {
    method: "GET",
    url: exchange.url,
    httpVersion: "HTTP/1.1",
    headers: pairs(exchange.requestHeaders),
    queryString: [],
    cookies: [],
    headersSize: -1,
    bodySize: 0
  },
  response: {
    status: exchange.status ?? 200,
    statusText: "",
    httpVersion: "HTTP/1.1",
    headers: pairs(exchange.responseHeaders),
    cookies: [],
    content: {
      size: exchange.body?.length ?? 0,
      mimeType: exchange.mimeType ?? "application/json",
      ...(exchange.body === undefined ? {} : { text: exchange.body })
    },
    redirectURL: "",
    headersSize: -1,
    bodySize: -1
  },
  cache: {},
  timings: { send: 0, wait: exchange.time ?? 1, receive: 0 }
})

/** A HAR 1.2 document of these exchanges, as text. */
export const harText = (exchanges: ReadonlyArray<HarExchange>): string =>
  JSON.stringify({
    log: { version: "1.2", creator: { name: "test", version: "1" }, entries: exchanges.map(harEntry) }
  })
