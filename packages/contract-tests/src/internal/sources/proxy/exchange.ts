/**
 * One proxy exchange: forward it (`forward.ts`), then conclude what came
 * back: judged when it is the operation, tallied, each violation or finding
 * emitted as an event, recorded in the HAR. A bug while concluding one
 * exchange becomes a finding, never the session's end, and its slot is
 * released exactly once whatever happens.
 *
 * Concluding is synchronous on the socket's tick for what needs no waiting
 * (the common case: an identity body, a HAR entry with a place in the
 * queue); what waits (a decode on zlib's pool, a HAR entry waiting for the
 * disk) is an Effect run on a fiber of the session (see `slots.ts` for why
 * not a fiber per exchange).
 *
 * @since 0.1.0
 */
import type * as Http from "node:http"
import { type AccountDecoder, Printable } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ContentCoding from "../../judge/contentCoding.js"
import { type Judgement, judgeDecoded, type Location, locate, notDecodedJudgement } from "../../judge/judge.js"
import type { Secrets } from "../../judge/secrets.js"
import { ContractEvent, type ProxyEvent } from "../../report/events.js"
import type { ProxyMetrics } from "../../report/metrics.js"
import type { TrafficTally } from "../../report/tally.js"
import type { NotJudgedReason } from "../../report/trafficModel.js"
import { type Ended, forward } from "./forward.js"
import type { HarWriter } from "./harWriter.js"
import type { Target } from "./wire.js"

/**
 * What every exchange of a session shares.
 *
 * @internal
 */
export interface Session {
  readonly target: Target
  readonly strict: boolean
  /** An account type none of the 14: a violation (`fail`) or drift (`keep`). */
  readonly unknownTypes: AccountDecoder.UnknownTypes
  readonly maxBodyBytes: number
  readonly upstreamTimeoutMs: number
  readonly secrets: Secrets
  readonly tally: TrafficTally
  readonly har: HarWriter | undefined
  /** Never blocks: a consumer that falls behind loses events, never the traffic. */
  readonly emit: (event: ProxyEvent) => void
  /** One more exchange judged or failed to reach the target. */
  readonly counted: () => void
  /** Runs what an exchange waits on, on a fiber of the session (interrupted when it closes). */
  readonly fork: (effect: Effect.Effect<void>) => void
  /** Queue wait and upstream duration (the outcomes reach the metrics through the tally). */
  readonly metrics: Pick<ProxyMetrics, "queued" | "upstream">
}

type Answered = Extract<Ended, { readonly _tag: "Answered" }>
type Decoded = Either.Either<Uint8Array, ContentCoding.Undecodable>

/** One answered exchange as the session concludes it. */
interface Exchange {
  readonly req: Http.IncomingMessage
  readonly startedAt: Date
  readonly secrets: ReadonlyArray<string>
  /** Masks every key seen and this exchange's own. */
  readonly own: (text: string) => string
  readonly path: string
  readonly method: string
  readonly where: Location
}

const utf8 = new TextDecoder()

// Every line leaves masked, then escaped: bytes from the target never drive the terminal that shows them.
const finding = (session: Session, exchange: Pick<Exchange, "method" | "path" | "own">, text: string): void =>
  session.emit(
    ContractEvent.Finding({
      line: Printable.text(`finding: ${exchange.method} ${exchange.own(exchange.path)}: ${exchange.own(text)}`)
    })
  )

/** How an exchange without an answer to judge is counted: its reason, the status the client got, a finding or not. */
const unanswered: Record<
  Exclude<Ended["_tag"], "Answered" | "Abandoned">,
  readonly [NotJudgedReason, number, boolean]
> = {
  Unreachable: ["unreachable", 502, false],
  Invalid: ["invalid_upstream", 502, true],
  TimedOut: ["timeout", 504, true],
  Refused: ["refused", 502, true]
}

/**
 * What the HAR records of a body: decoded; as sent when its coding could not
 * be decoded (with why); nothing when it is over the limit once decoded.
 */
const recordedBody = (
  ended: Answered,
  decoded: Decoded | undefined
): { readonly body: Uint8Array | undefined; readonly notDecoded?: string; readonly notKept?: string } => {
  if (decoded === undefined) return { body: ended.body }
  if (Either.isRight(decoded)) return { body: decoded.right }
  return decoded.left._tag === "DecodedOverLimit"
    ? { body: undefined, notKept: decoded.left.message }
    : { body: ended.body, notDecoded: decoded.left.message }
}

/**
 * The body as it will be read when it needs no decoding (no coding, or it
 * will not be read: neither judged nor recorded), else `undefined`.
 */
const readAsIs = (session: Session, ended: Answered, where: Location): Decoded | undefined => {
  if (ContentCoding.isIdentity(ended.headers["content-encoding"])) return Either.right(ended.body!)
  if (session.har === undefined && where._tag !== "Account") return Either.right(ended.body!)
  return undefined
}

/**
 * A decoded copy of the body (it will be read, and carries a coding): on
 * zlib's thread pool, bounded by the body limit. The bytes the client got
 * were the target's, unchanged.
 */
const decoding = (session: Session, ended: Answered): Effect.Effect<Decoded> =>
  Effect.either(
    ContentCoding.decode(ended.body!, ended.headers["content-encoding"], {
      coding: "as-sent",
      maxBytes: session.maxBodyBytes
    })
  )

/** Judges (when it is the operation) and tallies an answer; returns the judgement and why the body was not kept. */
const judgeAnswer = (
  session: Session,
  ended: Answered,
  exchange: Exchange,
  decoded: Decoded | undefined
): { readonly judgement: Judgement | undefined; readonly notKept: string | undefined } => {
  const { path, method, where, req } = exchange
  const { tally } = session
  if (where._tag !== "Account") {
    tally.notJudged("not_operation", ended.status, ended.latencyMs)
    return { judgement: undefined, notKept: undefined }
  }
  if (!ended.complete) {
    tally.notJudged("incomplete", ended.status, ended.latencyMs, { answer: true })
    return { judgement: undefined, notKept: undefined }
  }
  if (ended.body === undefined || decoded === undefined) {
    tally.notJudged("over_limit", ended.status, ended.latencyMs, { bytes: ended.bodySize, answer: true })
    return { judgement: undefined, notKept: `body over the limit (${ended.bodySize} bytes)` }
  }
  // Decoded once: the judge, the report and the HAR read the same text.
  const url = `${session.target.baseUrl}${path}`
  const text = Either.isRight(decoded) ? utf8.decode(decoded.right) : ""
  const judgement = Either.isLeft(decoded)
    ? notDecodedJudgement(where.id, decoded.left)
    : judgeDecoded(
        where.id,
        {
          request: { method, url, headers: req.headers },
          response: { status: ended.status, headers: ended.headers, body: text }
        },
        {
          baseUrl: session.target.baseUrl,
          strict: session.strict,
          unknownTypes: session.unknownTypes,
          maxBodyBytes: session.maxBodyBytes,
          secrets: exchange.secrets
        }
      )
  tally.record(
    { url, status: ended.status, body: text, latencyMs: ended.latencyMs, secrets: exchange.secrets },
    judgement
  )
  for (const f of judgement.findings) {
    const line = `violation ${f.check}: ${method} ${exchange.own(path)} → ${ended.status}: ${exchange.own(f.message)}`
    session.emit(ContractEvent.Violation({ check: f.check, line: Printable.text(line) }))
  }
  session.counted()
  return { judgement, notKept: undefined }
}

/**
 * An answered exchange, its body decoded (or why not, or not kept): judged,
 * then recorded in the HAR, whose back-pressure (the Effect returned, when
 * the disk fell behind) holds the exchange and its slot until its entry has
 * a place.
 */
const concludeAnswer = (
  session: Session,
  ended: Answered,
  exchange: Exchange,
  decoded: Decoded | undefined
): Effect.Effect<void> | undefined => {
  const { judgement, notKept } = judgeAnswer(session, ended, exchange, decoded)
  if (session.har === undefined) return undefined
  const { req } = exchange
  return session.har.add(
    {
      startedAt: exchange.startedAt,
      method: exchange.method,
      url: `${session.target.baseUrl}${exchange.path}`,
      httpVersion: req.httpVersion,
      requestRawHeaders: req.rawHeaders,
      status: ended.status,
      statusText: ended.statusText,
      responseRawHeaders: ended.rawHeaders,
      bodySize: ended.bodySize,
      latencyMs: ended.latencyMs,
      judged: judgement?.judged === true,
      findings: judgement?.findings ?? [],
      notKept,
      ...recordedBody(ended, decoded)
    },
    exchange.own
  )
}

/** How the exchange ended, concluded: counted, judged, recorded; what is left to wait on, if anything. */
const conclude = (
  session: Session,
  ended: Ended,
  exchange: Omit<Exchange, "where">
): Effect.Effect<void> | undefined => {
  const { tally } = session
  if (ended._tag === "Abandoned") {
    tally.notJudged("incomplete", null, ended.latencyMs)
    return undefined
  }
  if (ended._tag !== "Answered") {
    const [reason, status, isFinding] = unanswered[ended._tag]
    tally.notJudged(reason, status, ended.latencyMs)
    if (isFinding) finding(session, exchange, ended.message)
    session.counted()
    return undefined
  }
  const where = locate(exchange.method, `${session.target.basePath}${exchange.path}`, session.target.baseUrl)
  const located = { ...exchange, where }
  if (ended.body === undefined || !ended.complete) return concludeAnswer(session, ended, located, undefined)
  const asIs = readAsIs(session, ended, where)
  if (asIs !== undefined) return concludeAnswer(session, ended, located, asIs)
  return Effect.flatMap(
    decoding(session, ended),
    (decoded) => concludeAnswer(session, ended, located, decoded) ?? Effect.void
  )
}

const internalError = (session: Session, exchange: Omit<Exchange, "where">, defect: unknown): void =>
  finding(session, exchange, `internal error while judging: ${String(defect)}`)

/**
 * One exchange from its turn to its HAR entry: forwarded, then concluded;
 * `release` is called exactly once, when nothing of it is left. `arrivedAt`
 * (`performance.now()` at arrival): latency counts the time it waited for
 * its turn, what the client waited.
 *
 * @internal
 */
export const handle = (
  session: Session,
  req: Http.IncomingMessage,
  res: Http.ServerResponse,
  startedAt: Date,
  arrivedAt: number,
  release: () => void
): void => {
  // Before anything is forwarded or printed: every key this request carries is a secret from now on.
  const secrets = session.secrets.addRequest(req.rawHeaders, req.url ?? "/")
  // Every key seen, and this exchange's own even when the bounded set is full.
  const own = session.secrets.maskWith(secrets)
  const exchange = { req, startedAt, secrets, own, path: req.url ?? "/", method: req.method ?? "GET" }
  const queuedMs = performance.now() - arrivedAt
  session.metrics.queued(queuedMs / 1000)
  const onEnd = (_: Http.IncomingMessage, ended: Ended) => {
    if (ended._tag !== "Abandoned" && ended._tag !== "Refused") {
      session.metrics.upstream(
        ended._tag === "Answered" ? ended.status : undefined,
        (ended.latencyMs - queuedMs) / 1000
      )
    }
    let rest: Effect.Effect<void> | undefined
    try {
      rest = conclude(session, ended, exchange)
    } catch (defect) {
      // A bug in judging one exchange must not take the session down: it becomes a finding.
      internalError(session, exchange, defect)
    }
    if (rest === undefined) return release()
    session.fork(
      rest.pipe(
        Effect.catchAllDefect((defect) => Effect.sync(() => internalError(session, exchange, defect))),
        Effect.ensuring(Effect.sync(release))
      )
    )
  }
  forward(req, res, {
    target: session.target,
    maxBodyBytes: session.maxBodyBytes,
    upstreamTimeoutMs: session.upstreamTimeoutMs,
    arrivedAt,
    onEnd
  })
}
