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
 * import { MockServer } from "@postpress/contract-tests"
 * import { expect } from "vitest"
 *
 * const mock = await MockServer.startMockServer({ coverage: true })
 * // ... the service's tests call mock.url ...
 * expect(mock.coverage().missing).toEqual({ types: [], errors: [], behaviours: [] })
 * ```
 *
 * @since 0.1.0
 */
import type { Account } from "@postpress/schema"
import { AccountsApi, ErrorCatalogue } from "@postpress/schema"
import * as Coverage from "./internal/mock/coverage.js"
import { defaultThrottleSeconds, headers, throttleStatus } from "./internal/mock/faults.js"
import { html } from "./internal/report/html/escape.js"
import { coverageGrid, type GridGroup } from "./internal/report/html/grid.js"
import { page } from "./internal/report/html/page.js"

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
 * Counts of what was served: account types, error types grouped by status
 * tier (`{ "503": { "errors/no_handler": 1 } }`), behaviours. Only what was
 * seen at least once is listed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Counts {
  readonly requests: number
  readonly types: Readonly<Partial<Record<Account.AccountType, number>>>
  readonly errors: Readonly<Record<string, Readonly<Partial<Record<ErrorCatalogue.ErrorType, number>>>>>
  readonly behaviours: Readonly<Partial<Record<Behaviour, number>>>
}

/**
 * The counts of one workspace key: `workspace` is the workspace's position
 * in `MockServer.workspaces` (and in the startup line of `postpress mock`),
 * `null` for requests without a key the mock knows. No key is recorded, the
 * mock's own or a presented one: a report is safe to publish.
 *
 * @since 0.1.0
 * @category models
 */
export interface WorkspaceCounts extends Counts {
  readonly workspace: number | null
}

/**
 * The coverage report: the shape of `postpress mock --coverage FILE`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly seen: Counts & { readonly workspaces: ReadonlyArray<WorkspaceCounts> }
  readonly missing: {
    readonly types: ReadonlyArray<Account.AccountType>
    readonly errors: ReadonlyArray<ErrorCatalogue.ErrorType>
    readonly behaviours: ReadonlyArray<Behaviour>
  }
}

const countsOf = (tallies: ReadonlyArray<Coverage.Tally>): Counts => {
  const sum = (pick: (t: Coverage.Tally) => Float64Array, i: number) =>
    tallies.reduce((total, tally) => total + pick(tally)[i]!, 0)
  const types: Partial<Record<Account.AccountType, number>> = {}
  Coverage.accountTypes.forEach((type, i) => {
    const n = sum((t) => t.types, i)
    if (n > 0) types[type] = n
  })
  const errors: Record<string, Partial<Record<ErrorCatalogue.ErrorType, number>>> = {}
  Coverage.errorTypes.forEach((type, i) => {
    const n = sum((t) => t.errors, i)
    if (n > 0) {
      const tier = String(ErrorCatalogue.lookup(type)!.status)
      errors[tier] = { ...errors[tier], [type]: n }
    }
  })
  const seenBehaviours: Partial<Record<Behaviour, number>> = {}
  Coverage.behaviours.forEach((behaviour, i) => {
    const n = sum((t) => t.behaviours, i)
    if (n > 0) seenBehaviours[behaviour] = n
  })
  return {
    requests: tallies.reduce((total, t) => total + t.requests, 0),
    types,
    errors,
    behaviours: seenBehaviours
  }
}

/**
 * Builds the report from the recorder's snapshot.
 *
 * @internal
 */
export const fromSnapshot = (snapshot: Coverage.Snapshot): Report => {
  const all = [...snapshot.workspaces.map((w) => w.tally), snapshot.anonymous]
  const total = countsOf(all)
  const workspaces: Array<WorkspaceCounts> = snapshot.workspaces.map((w, i) => ({
    workspace: i,
    ...countsOf([w.tally])
  }))
  if (snapshot.anonymous.requests > 0) {
    workspaces.push({ workspace: null, ...countsOf([snapshot.anonymous]) })
  }
  const seenErrors = new Set(Object.values(total.errors).flatMap((byType) => Object.keys(byType)))
  return {
    seen: { ...total, workspaces },
    missing: {
      types: Coverage.accountTypes.filter((type) => total.types[type] === undefined),
      errors: Coverage.errorTypes.filter((type) => !seenErrors.has(type)),
      behaviours: Coverage.behaviours.filter((b) => total.behaviours[b] === undefined)
    }
  }
}

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

/** The request that serves an account type, for a summary line or a grid cell. */
const typeHint = (fixtures: Fixtures, type: Account.AccountType): string => {
  for (const [workspace, ws] of fixtures.entries()) {
    const account = ws.accounts.find((a) => a.type === type)
    if (account !== undefined) {
      return `request GET ${AccountsApi.pathTemplate.replace("{id}", encodeURIComponent(account.id))} with workspace ${workspace}'s key`
    }
  }
  return "request an account of this type"
}

const errorHint = (type: ErrorCatalogue.ErrorType): string =>
  `send ${headers.fault}: ${ErrorCatalogue.lookup(type)!.status}:${type}`

/**
 * One line per gap, naming the request that closes it, e.g.
 * `never served errors/no_handler (503): send x-mock-fault: 503:errors/no_handler`;
 * the first line totals what was seen.
 *
 * @since 0.1.0
 * @category rendering
 */
export const summaryLines = (report: Report, fixtures: Fixtures = []): ReadonlyArray<string> => {
  const seenErrors = Coverage.errorTypes.length - report.missing.errors.length
  const seenTypes = Coverage.accountTypes.length - report.missing.types.length
  const seenBehaviours = Coverage.behaviours.length - report.missing.behaviours.length
  return [
    `coverage: ${seenTypes}/${Coverage.accountTypes.length} account types, ${seenErrors}/${Coverage.errorTypes.length} error types, ${seenBehaviours}/${Coverage.behaviours.length} behaviours (${report.seen.requests} requests)`,
    ...report.missing.types.map((type) => `never served a ${type} account: ${typeHint(fixtures, type)}`),
    ...report.missing.errors.map(
      (type) => `never served ${type} (${ErrorCatalogue.lookup(type)!.status}): ${errorHint(type)}`
    ),
    ...report.missing.behaviours.map((b) => `never served ${behaviourHints[b].label}: ${behaviourHints[b].how}`)
  ]
}

/**
 * The report as the JSON text of `--coverage FILE` (two-space indent, final newline).
 *
 * @since 0.1.0
 * @category rendering
 */
export const toJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`

/**
 * The report as a standalone HTML page: a grid per kind (account types, error
 * types by tier, behaviours), seen in green with the count, missing in red
 * with the header that produces it.
 *
 * @since 0.1.0
 * @category rendering
 */
export const toHtml = (report: Report, fixtures: Fixtures = []): string => {
  const errorsOf = (status: ErrorCatalogue.ErrorStatus): Readonly<Record<string, number>> =>
    report.seen.errors[String(status)] ?? {}
  const types: GridGroup = {
    title: "Account types",
    cells: Coverage.accountTypes.map((type) => ({
      label: type,
      seen: report.seen.types[type] ?? 0,
      hint: typeHint(fixtures, type)
    }))
  }
  const errors: ReadonlyArray<GridGroup> = ErrorCatalogue.tiers.map((tier) => ({
    title: `${tier.status} ${tier.title}`,
    cells: ErrorCatalogue.typesOf(tier.status).map((type) => ({
      label: type,
      seen: errorsOf(tier.status)[type] ?? 0,
      hint: errorHint(type)
    }))
  }))
  const seenBehaviours: GridGroup = {
    title: "Behaviours",
    cells: Coverage.behaviours.map((b) => ({
      label: behaviourHints[b].label,
      seen: report.seen.behaviours[b] ?? 0,
      hint: behaviourHints[b].how
    }))
  }
  const [headline] = summaryLines(report, fixtures)
  const body = html`<h1>Mock coverage</h1>
<p class="meta">${headline ?? ""}</p>
<h2>Account types</h2>
${coverageGrid([types], { id: "types", caption: "Account types served" })}
<h2>Error types</h2>
${coverageGrid(errors, { id: "errors", caption: "Error types served" })}
<h2>Behaviours</h2>
${coverageGrid([seenBehaviours], { id: "behaviours", caption: "Behaviours met" })}`
  return page({ title: "postpress mock coverage", body })
}
