/**
 * Drift: fields the server sends that the spec does not know. Paths are
 * normalised (array indexes become `[]`) and counted once per response, so
 * `connection_params.im.organizations[].new_flag` seen in 3 answers has
 * count 3 however many organizations each answer lists.
 *
 * @since 0.1.0
 */
import type { DriftField } from "../../ContractReport.js"
import { driftPath } from "../rules/judge.js"

/**
 * A path as reported: `a.b[].c`. Accepts the keys from the root (rendered by
 * the rule engine's `driftPath`, the one drift path format) or a path
 * already rendered, whose indexes (`a.b[0].c`) become `[]`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const normalizePath = (path: string | ReadonlyArray<PropertyKey>): string =>
  typeof path === "string" ? path.replace(/\[\d+\]/g, "[]") : driftPath(path)

/**
 * Counts drift paths and remembers, per path, the first response that
 * carried it (its context is whatever the caller passes: the builder keeps
 * the request and curl line so `--fail-on-drift` can name a reproduction).
 *
 * @since 0.1.0
 * @category models
 */
export class DriftTally<Context> {
  private readonly counts = new Map<string, { count: number; readonly first: Context }>()

  /** Records the unknown fields of ONE response. */
  add(paths: ReadonlyArray<string | ReadonlyArray<PropertyKey>>, context: Context): void {
    for (const path of new Set(paths.map(normalizePath))) {
      const entry = this.counts.get(path)
      if (entry === undefined) this.counts.set(path, { count: 1, first: context })
      else entry.count++
    }
  }

  get size(): number {
    return this.counts.size
  }

  /** Most frequent first, then by path. */
  fields(): ReadonlyArray<DriftField & { readonly first: Context }> {
    return [...this.counts]
      .map(([path, { count, first }]) => ({ path, count, first }))
      .sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }
}
