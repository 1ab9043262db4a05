/**
 * The coverage report built from the recorder's snapshot: the data
 * `MockServerInfo.coverage()` returns and `--coverage FILE` writes (the
 * `MockServer` and `MockCoverage` faces both use it; faces never import each
 * other).
 *
 * @since 0.1.0
 */
import { Account, ErrorCatalogue } from "@postpress/schema"
import * as Schema from "effect/Schema"
import * as Coverage from "./coverage.js"

type Behaviour = Coverage.Behaviour

const Count = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
const ErrorType = Schema.Literal(...Coverage.errorTypes)
const BehaviourName = Schema.Literal(...Coverage.behaviours)

const countsFields = {
  requests: Count,
  types: Schema.partialWith(Schema.Record({ key: Account.AccountType, value: Count }), { exact: true }),
  /** By status tier: `{ "503": { "errors/no_handler": 1 } }`. */
  errors: Schema.Record({
    key: Schema.String,
    value: Schema.partialWith(Schema.Record({ key: ErrorType, value: Count }), { exact: true })
  }),
  behaviours: Schema.partialWith(Schema.Record({ key: BehaviourName, value: Count }), { exact: true })
}

/**
 * Counts of what was served: account types, error types grouped by status
 * tier (`{ "503": { "errors/no_handler": 1 } }`), behaviours. Only what was
 * seen at least once is listed.
 *
 * @since 0.1.0
 * @category models
 */
export const Counts = Schema.Struct(countsFields).annotations({ identifier: "MockCoverage.Counts" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Counts extends Schema.Schema.Type<typeof Counts> {}

/**
 * The counts of one workspace key: `workspace` is the workspace's position
 * in `MockServer.workspaces` (and in the startup line of `postpress mock`),
 * `null` for requests without a key the mock knows. No key is recorded, the
 * mock's own or a presented one: a report is safe to publish.
 *
 * @since 0.1.0
 * @category models
 */
export const WorkspaceCounts = Schema.Struct({
  workspace: Schema.NullOr(Count),
  ...countsFields
}).annotations({ identifier: "MockCoverage.WorkspaceCounts" })

/**
 * @since 0.1.0
 * @category models
 */
export interface WorkspaceCounts extends Schema.Schema.Type<typeof WorkspaceCounts> {}

/**
 * The coverage report: what was `seen` (in total and per workspace key)
 * and what is `missing`. Its JSON encoding is the file `postpress mock
 * --coverage FILE` and `coverageFile` write, so a consumer reads that file
 * back with `Schema.parseJson(MockCoverage.Report)`.
 *
 * @since 0.1.0
 * @category models
 */
export const Report = Schema.Struct({
  seen: Schema.Struct({ ...countsFields, workspaces: Schema.Array(WorkspaceCounts) }),
  missing: Schema.Struct({
    types: Schema.Array(Account.AccountType),
    errors: Schema.Array(ErrorType),
    behaviours: Schema.Array(BehaviourName)
  })
}).annotations({ identifier: "MockCoverage.Report" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Report extends Schema.Schema.Type<typeof Report> {}

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
export const toJson = (report: Report): string => `${encodeJson(report)}\n`

const encodeJson = Schema.encodeSync(Schema.parseJson(Report, { space: 2 }))
