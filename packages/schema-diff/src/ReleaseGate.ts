/**
 * The release gate of a package that publishes a schema: the documents of
 * its last released version are committed (`compat/<version>/…`), and a
 * test fails when the current documents break readers of them unless a
 * pending changeset (`.changeset/*.md`) bumps the package's MAJOR version
 * and names every broken rule in its text, so the changelog says what
 * breaks.
 *
 * ```ts
 * import { ReleaseGate, SchemaDiff } from "@postpress/schema-diff"
 * import { Effect } from "effect"
 *
 * declare const released: unknown
 * declare const current: unknown
 * declare const changesetFiles: ReadonlyArray<{ readonly file: string; readonly text: string }>
 *
 * const result = await Effect.runPromise(SchemaDiff.diff(released, current))
 * const gate = ReleaseGate.check({
 *   packageName: "@postpress/schema",
 *   results: [result],
 *   changesets: changesetFiles.flatMap(({ file, text }) => ReleaseGate.parseChangeset(file, text) ?? [])
 * })
 * if (!gate.pass) throw new Error(gate.message)
 * ```
 *
 * @since 0.1.0
 */
import type { DiffResult } from "./internal/model.js"
import type { RuleId } from "./internal/rules.js"

/**
 * @since 0.1.0
 * @category models
 */
export type Bump = "major" | "minor" | "patch" | "none"

/**
 * A pending changeset: the packages it bumps and its text.
 *
 * @since 0.1.0
 * @category models
 */
export interface Changeset {
  readonly file: string
  readonly releases: ReadonlyArray<{ readonly name: string; readonly bump: Bump }>
  readonly summary: string
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/
const RELEASE = /^\s*(["']?)([^"':\s][^"':]*)\1\s*:\s*(major|minor|patch|none)\s*$/

/**
 * A changeset file read as the changesets tool reads it (front matter of
 * `"package": bump` lines, then the text); `undefined` when the file has
 * no front matter (it is then no changeset).
 *
 * @since 0.1.0
 * @category reading
 */
export const parseChangeset = (file: string, text: string): Changeset | undefined => {
  const match = FRONT_MATTER.exec(text)
  if (match === null) return undefined
  const releases = (match[1] ?? "").split(/\r?\n/).flatMap((line) => {
    const release = RELEASE.exec(line)
    return release === null ? [] : [{ name: release[2]!, bump: release[3] as Bump }]
  })
  return { file, releases, summary: (match[2] ?? "").trim() }
}

/**
 * The gate's verdict: whether the release may go out as it is, and why not.
 *
 * @since 0.1.0
 * @category models
 */
export interface GateVerdict {
  readonly pass: boolean
  /** The rules broken, over every result. */
  readonly broken: ReadonlyArray<RuleId>
  /** One paragraph: what breaks, and what would let it through. */
  readonly message: string
}

/**
 * Judges the diffs of the released documents against the current ones:
 * passes when nothing breaks, or when a changeset bumps `packageName` to a
 * new major version and its text names every broken rule id.
 *
 * @since 0.1.0
 * @category gating
 */
export const check = (input: {
  readonly packageName: string
  readonly results: ReadonlyArray<DiffResult>
  readonly changesets: ReadonlyArray<Changeset>
}): GateVerdict => {
  const breaking = input.results.flatMap((result) => result.changes.filter((c) => c.severity === "breaking"))
  const broken = [...new Set(breaking.map((change) => change.rule))].sort()
  if (broken.length === 0) return { pass: true, broken, message: "no change breaks a reader of the released schema" }
  const majors = input.changesets.filter((c) =>
    c.releases.some((release) => release.name === input.packageName && release.bump === "major")
  )
  const named = (rule: RuleId) => majors.some((c) => new RegExp(`(^|[^\\w-])${rule}([^\\w-]|$)`).test(c.summary))
  const unnamed = broken.filter((rule) => !named(rule))
  if (majors.length > 0 && unnamed.length === 0) {
    const files = majors.map((c) => c.file).join(", ")
    return { pass: true, broken, message: `breaking (${broken.join(", ")}), announced as a major release in ${files}` }
  }
  const where = [...new Set(breaking.map((change) => `${change.rule} at ${change.path}`))].slice(0, 5).join("; ")
  const needed =
    majors.length === 0
      ? `add a changeset with "${input.packageName}": major whose text names ${broken.join(", ")}`
      : `the major changeset (${majors.map((c) => c.file).join(", ")}) must name ${unnamed.join(", ")} in its text`
  return {
    pass: false,
    broken,
    message: `${input.packageName} breaks readers of its released schema (${broken.join(", ")}: ${where}); ${needed}`
  }
}
