/**
 * Consumer-side coverage: which API behaviours a service's tests met when
 * they ran against the mock, and which they never did. Start the mock with
 * `coverage: true` (or `postpress mock --coverage FILE`), run the tests, and
 * read {@link Report}: what was `seen` (counts, per workspace key) and what is
 * `missing` (account types, error types, behaviours), each gap with the
 * request header that produces it.
 *
 * The lists come from `@postpress/schema`: the 14 account types are the
 * `Account` variants' `type` literals, the 32 error types the
 * `ErrorCatalogue`.
 *
 * @example
 * ```ts
 * import { MockServer } from "@postpress/testkit"
 * import { expect } from "vitest"
 *
 * const mock = await MockServer.startMockServer({ coverage: true })
 * // ... the service's tests call mock.url ...
 * expect((await mock.coverage()).missing).toEqual({ types: [], errors: [], behaviours: [] })
 * ```
 *
 * @since 0.1.0
 */
import type { Account } from "@postpress/schema"
import { AccountsApi, ErrorCatalogue, Printable } from "@postpress/schema"
import * as Coverage from "./internal/mock/coverage.js"
import * as CoverageReport from "./internal/mock/coverageReport.js"
import { defaultThrottleSeconds, headers, throttleStatus } from "./internal/mock/faults.js"

export {
  /**
   * @since 0.1.0
   * @category models
   */
  Counts,
  /**
   * The report as data and as a Schema: its JSON encoding is the file
   * `--coverage FILE` and `coverageFile` write; read one back with
   * `Schema.decodeUnknown(Schema.parseJson(MockCoverage.Report))`.
   *
   * @since 0.1.0
   * @category models
   */
  Report,
  /**
   * @since 0.1.0
   * @category models
   */
  WorkspaceCounts
} from "./internal/mock/coverageReport.js"

type Report = CoverageReport.Report

/**
 * A behaviour beyond types and errors: a 429 with `Retry-After`, the same
 * request repeated after a 503, 504 or 429, an account with unknown fields.
 *
 * @since 0.1.0
 * @category models
 */
export type Behaviour = Coverage.Behaviour

/**
 * Every behaviour, in report order.
 *
 * @since 0.1.0
 * @category constants
 */
export const behaviours: ReadonlyArray<Behaviour> = Coverage.behaviours

/**
 * The three kinds of gap `--require-coverage` can demand be closed.
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = "types" | "errors" | "behaviours"

/**
 * Every kind, in report order.
 *
 * @since 0.1.0
 * @category constants
 */
export const kinds: ReadonlyArray<Kind> = ["types", "errors", "behaviours"]

/**
 * Builds the report from the recorder's snapshot.
 *
 * @internal
 */
export const fromSnapshot: (snapshot: Coverage.Snapshot) => Report = CoverageReport.fromSnapshot

/**
 * The report as the JSON text of `--coverage FILE` (two-space indent, final newline).
 *
 * @since 0.1.0
 * @category rendering
 */
export const toJson: (report: Report) => string = CoverageReport.toJson

/**
 * The gaps of the kinds asked for, as `kind: item` strings (empty when none).
 *
 * @since 0.1.0
 * @category checking
 */
export const gaps = (report: Report, required: Iterable<Kind>): ReadonlyArray<string> =>
  [...new Set(required)].flatMap((kind) => report.missing[kind].map((item) => `${kind}: ${item}`))

/**
 * Parses a `--require-coverage` list (`types,errors,behaviours`, any subset);
 * a string is the message for an unknown kind.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseKinds = (text: string): ReadonlyArray<Kind> | string => {
  const parts = text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
  const unknown = parts.filter((part) => !(kinds as ReadonlyArray<string>).includes(part))
  if (parts.length === 0 || unknown.length > 0) {
    return `expected a comma-separated subset of ${kinds.join(",")}, got ${JSON.stringify(text)}`
  }
  return [...new Set(parts)] as ReadonlyArray<Kind>
}

/**
 * The header (or steps) that makes the mock serve a behaviour.
 *
 * @since 0.1.0
 * @category hints
 */
export const behaviourHints: Readonly<Record<Behaviour, { readonly label: string; readonly how: string }>> = {
  rate_limited_with_retry_after: {
    label: `${throttleStatus} with Retry-After`,
    how: `send ${headers.fault}: ${throttleStatus} (Retry-After ${defaultThrottleSeconds} s, or ${headers.retryAfter}: N)`
  },
  retry_after_503: {
    label: "a retry after 503",
    how: `send ${headers.fault}: 503,200 with ${headers.sequence}: ID, then repeat the request`
  },
  retry_after_504: {
    label: "a retry after 504",
    how: `send ${headers.fault}: 504,200 with ${headers.sequence}: ID, then repeat the request`
  },
  retry_after_429: {
    label: `a retry after ${throttleStatus}`,
    how: `send ${headers.fault}: ${throttleStatus},200 with ${headers.sequence}: ID, then repeat the request`
  },
  unknown_fields: {
    label: "an account with unknown fields",
    how: `send ${headers.extraFields}: 1`
  },
  unknown_account_type: {
    label: "an account of an unknown type",
    how: `send ${headers.unknownType}: 1`
  }
}

/**
 * The fixtures a summary can point at: which id to request for a type.
 *
 * @since 0.1.0
 * @category models
 */
export type Fixtures = ReadonlyArray<{
  readonly accounts: ReadonlyArray<{ readonly id: string; readonly type: Account.AccountType }>
}>

/**
 * The request that serves an account type, for a summary line or a grid
 * cell: `request GET /v1/accounts/acc_… with workspace 0's key`.
 *
 * @since 0.1.0
 * @category hints
 */
export const typeHint = (fixtures: Fixtures, type: Account.AccountType): string => {
  for (const [workspace, ws] of fixtures.entries()) {
    const account = ws.accounts.find((a) => a.type === type)
    if (account !== undefined) {
      return `request GET ${AccountsApi.pathTemplate.replace("{id}", encodeURIComponent(account.id))} with workspace ${workspace}'s key`
    }
  }
  return "request an account of this type"
}

/**
 * The header that makes the mock serve an error type:
 * `send x-mock-fault: 503:errors/no_handler`.
 *
 * @since 0.1.0
 * @category hints
 */
export const errorHint = (type: ErrorCatalogue.ErrorType): string =>
  `send ${headers.fault}: ${ErrorCatalogue.lookup(type)!.status}:${type}`

/**
 * One line per gap, naming the request that closes it, e.g.
 * `never served errors/no_handler (503): send x-mock-fault: 503:errors/no_handler`,
 * `never served an ICLOUD account: request GET /v1/accounts/acc_… with workspace 0's key`;
 * the first line totals what was seen (`… (1 request)`).
 *
 * @since 0.1.0
 * @category rendering
 */
export const summaryLines = (report: Report, fixtures: Fixtures = []): ReadonlyArray<string> => {
  const seenErrors = Coverage.errorTypes.length - report.missing.errors.length
  const seenTypes = Coverage.accountTypes.length - report.missing.types.length
  const seenBehaviours = Coverage.behaviours.length - report.missing.behaviours.length
  return [
    `coverage: ${seenTypes}/${Coverage.accountTypes.length} account types, ${seenErrors}/${Coverage.errorTypes.length} error types, ${seenBehaviours}/${Coverage.behaviours.length} behaviours (${Printable.plural(report.seen.requests, "request")})`,
    ...report.missing.types.map(
      (type) => `never served ${Printable.withArticle(type)} account: ${typeHint(fixtures, type)}`
    ),
    ...report.missing.errors.map(
      (type) => `never served ${type} (${ErrorCatalogue.lookup(type)!.status}): ${errorHint(type)}`
    ),
    ...report.missing.behaviours.map((b) => `never served ${behaviourHints[b].label}: ${behaviourHints[b].how}`)
  ]
}
