/**
 * Drift: fields the server sends that the spec does not know. Paths are
 * normalised (array indexes become `[]`) and counted once per response, so
 * `connection_params.im.organizations[].new_flag` seen in 3 answers has
 * count 3 however many organizations each answer lists.
 *
 * @since 0.1.0
 */

import { driftPath } from "../judge/judge.js"
import type { DriftField } from "./model.js"

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
 * Paths tracked at most; further new paths are only counted (see
 * {@link DriftTally.more}), so a server inventing a field per answer cannot
 * grow memory without end.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPaths = 1000

/**
 * Characters of the example body kept per path.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxExampleChars = 1024

/**
 * A copy of the start of `text` that does not keep `text` alive: V8 makes a
 * substring a view into its parent, so a 1 KB slice of a 900 KB body would
 * retain all 900 KB for the whole session.
 *
 * @since 0.1.0
 * @category formatting
 */
export const detachedPrefix = (text: string, chars: number): string =>
  Buffer.from(text.slice(0, chars), "utf8").toString("utf8")

/**
 * Counts drift paths and remembers, per path, the first response that
 * carried it (its context is whatever the caller passes: the builder keeps
 * the request and curl line so `--fail-on-drift` can name a reproduction).
 * Memory is bounded: at most {@link maxPaths} paths, and a context's `body`
 * is cut to {@link maxExampleChars} characters.
 *
 * @since 0.1.0
 * @category models
 */
export class DriftTally<Context extends { readonly body?: string | undefined }> {
  private readonly counts = new Map<string, { count: number; readonly first: Context }>()
  private untracked = 0

  /** Records the unknown fields of ONE response. */
  add(paths: ReadonlyArray<string | ReadonlyArray<PropertyKey>>, context: Context): void {
    let example: Context | undefined
    for (const path of new Set(paths.map(normalizePath))) {
      const entry = this.counts.get(path)
      if (entry !== undefined) {
        entry.count++
      } else if (this.counts.size >= maxPaths) {
        this.untracked++
      } else {
        example ??=
          context.body !== undefined && context.body.length > maxExampleChars
            ? { ...context, body: detachedPrefix(context.body, maxExampleChars) }
            : context
        this.counts.set(path, { count: 1, first: example })
      }
    }
  }

  get size(): number {
    return this.counts.size
  }

  /** Occurrences of paths beyond the first {@link maxPaths} (counted, not kept). */
  get more(): number {
    return this.untracked
  }

  /** Most frequent first, then by path. */
  fields(): ReadonlyArray<DriftField & { readonly first: Context }> {
    return [...this.counts]
      .map(([path, { count, first }]) => ({ path, count, first }))
      .sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }
}
