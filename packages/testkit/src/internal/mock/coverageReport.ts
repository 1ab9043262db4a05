/**
 * The coverage report built from the recorder's snapshot: the data
 * `MockServerInfo.coverage()` returns and `--coverage FILE` writes (the
 * `MockServer` and `MockCoverage` faces both use it; faces never import each
 * other).
 *
 * @since 0.1.0
 */
import type { Account } from "@postpress/schema"
import { ErrorCatalogue } from "@postpress/schema"
import * as Coverage from "./coverage.js"

type Behaviour = Coverage.Behaviour

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
 * The report as the JSON text of `--coverage FILE` (two-space indent, final newline).
 *
 * @since 0.1.0
 * @category rendering
 */
export const toJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`
