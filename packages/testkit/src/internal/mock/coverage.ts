/**
 * Consumer-side coverage: what the mock served, counted per workspace key.
 * The lists of what there is to serve are derived from `@postpress/schema`
 * (the `Account` variants' `type` literals and the `ErrorCatalogue`), so a new
 * provider type or error type shows up as a gap without an edit here.
 *
 * Recording is O(1) per request: counters in typed arrays indexed by a
 * precomputed position, one map lookup for the account id. Retries are found
 * with a bounded map of the requests whose last answer was 503, 504 or 429;
 * it is only consulted while it holds something.
 *
 * @since 0.1.0
 */
import { Account, ErrorCatalogue } from "@postpress/schema"
import { throttleStatus } from "./faults.js"
import type { Workspace } from "./fixtures.js"

/**
 * The account types there are, in the schema's order.
 *
 * @internal
 */
export const accountTypes: ReadonlyArray<Account.AccountType> = Account.accountTypes

/**
 * The error types there are, in the catalogue's order.
 *
 * @internal
 */
export const errorTypes: ReadonlyArray<ErrorCatalogue.ErrorType> = ErrorCatalogue.catalogue.map((e) => e.type)

/**
 * Behaviours a consumer should have met, beyond types and errors.
 *
 * @internal
 */
export const behaviours = [
  "rate_limited_with_retry_after",
  "retry_after_503",
  "retry_after_504",
  "retry_after_429",
  "unknown_fields",
  "unknown_account_type"
] as const

/**
 * @internal
 */
export type Behaviour = (typeof behaviours)[number]

const behaviourIndex = Object.fromEntries(behaviours.map((b, i) => [b, i])) as Record<Behaviour, number>
const errorIndex = new Map<string, number>(errorTypes.map((t, i) => [t, i]))
const typeIndex = new Map<string, number>(accountTypes.map((t, i) => [t, i]))

/**
 * The counters of one workspace key (or of requests that presented none that
 * the mock knows).
 *
 * @internal
 */
export interface Tally {
  requests: number
  readonly types: Float64Array
  readonly errors: Float64Array
  readonly behaviours: Float64Array
}

const makeTally = (): Tally => ({
  requests: 0,
  types: new Float64Array(accountTypes.length),
  errors: new Float64Array(errorTypes.length),
  behaviours: new Float64Array(behaviours.length)
})

/**
 * What the recorder returns: one tally per workspace, then one for requests
 * without a known key.
 *
 * @internal
 */
export interface Snapshot {
  readonly workspaces: ReadonlyArray<{ readonly tally: Tally }>
  readonly anonymous: Tally
}

const maxPending = 10_000

/** The statuses after which a repeat of the same request counts as a retry. */
const retryBehaviour = (status: number): Behaviour | undefined =>
  status === 503
    ? "retry_after_503"
    : status === 504
      ? "retry_after_504"
      : status === throttleStatus
        ? "retry_after_429"
        : undefined

/**
 * The recorder of one mock.
 *
 * @internal
 */
export interface Recorder {
  /**
   * A 200 for `accountId` (one of the fixtures), with or without unknown
   * fields, as its own type or as one none of the 14 (then it counts for
   * that behaviour, not for its fixture's type).
   */
  readonly account: (
    accountId: string,
    target: string,
    served: { readonly unknownFields: boolean; readonly unknownType: boolean }
  ) => void
  /**
   * Any other answer: its status, its `type` (when it is a documented one),
   * whether it carried `Retry-After`, and the workspace (an index, or -1).
   */
  readonly answer: (
    workspace: number,
    target: string,
    status: number,
    type: string | undefined,
    retryAfter: boolean
  ) => void
  /** An answer given before any request existed (Node's parser rejected the bytes). */
  readonly rejected: (type: string) => void
  readonly snapshot: () => Snapshot
}

/**
 * A recorder for these workspaces.
 *
 * @internal
 */
export const makeRecorder = (workspaces: ReadonlyArray<Workspace>): Recorder => {
  const tallies = workspaces.map(makeTally)
  const anonymous = makeTally()
  const tallyOf = (workspace: number): Tally => tallies[workspace] ?? anonymous
  // Ids are unique across workspaces: an id names its workspace and its type.
  const accounts = new Map<string, { readonly workspace: number; readonly type: number }>()
  workspaces.forEach((ws, workspace) => {
    for (const account of ws.accounts) accounts.set(account.id, { workspace, type: typeIndex.get(account.type)! })
  })
  // `${workspace} ${target}` → the transient status it was last answered with.
  const pending = new Map<string, number>()

  const followUp = (workspace: number, target: string, status: number, tally: Tally): void => {
    const transient = retryBehaviour(status)
    if (pending.size === 0 && transient === undefined) return
    const key = `${workspace} ${target}`
    const before = pending.get(key)
    if (before !== undefined) {
      const behaviour = retryBehaviour(before)!
      tally.behaviours[behaviourIndex[behaviour]]!++
      pending.delete(key)
    }
    if (transient !== undefined) {
      pending.set(key, status)
      if (pending.size > maxPending) pending.delete(pending.keys().next().value!)
    }
  }

  return {
    account: (accountId, target, served) => {
      const found = accounts.get(accountId)
      if (found === undefined) return
      const tally = tallyOf(found.workspace)
      tally.requests++
      if (served.unknownType) tally.behaviours[behaviourIndex.unknown_account_type]!++
      else tally.types[found.type]!++
      if (served.unknownFields) tally.behaviours[behaviourIndex.unknown_fields]!++
      followUp(found.workspace, target, 200, tally)
    },
    answer: (workspace, target, status, type, retryAfter) => {
      const tally = tallyOf(workspace)
      tally.requests++
      const index = type === undefined ? undefined : errorIndex.get(type)
      if (index !== undefined && ErrorCatalogue.lookup(type!)?.status === status) tally.errors[index]!++
      if (status === throttleStatus && retryAfter) tally.behaviours[behaviourIndex.rate_limited_with_retry_after]!++
      followUp(workspace, target, status, tally)
    },
    rejected: (type) => {
      anonymous.requests++
      const index = errorIndex.get(type)
      if (index !== undefined) anonymous.errors[index]!++
    },
    snapshot: () => ({
      workspaces: tallies.map((tally) => ({ tally: copy(tally) })),
      anonymous: copy(anonymous)
    })
  }
}

const copy = (tally: Tally): Tally => ({
  requests: tally.requests,
  types: tally.types.slice(),
  errors: tally.errors.slice(),
  behaviours: tally.behaviours.slice()
})
