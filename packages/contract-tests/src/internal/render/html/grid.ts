/**
 * The coverage grid: one cell per thing that could have been seen (an
 * account type, an error type, a behaviour), grouped, each cell showing its
 * label and how often it was seen. The contract report uses it for the
 * account types a run met; the mock's coverage report uses it for what a
 * consumer's tests were served.
 *
 * A cell never says "seen" by colour alone: a seen cell has a check mark, a
 * solid border and its count; a missing one a hollow circle, a dashed border
 * and the words "not seen" (with an optional hint on how to produce it).
 *
 * @example
 * ```ts
 * import { coverageGrid } from "./grid.js"
 * import { page } from "./page.js"
 *
 * const body = coverageGrid(
 *   [{ title: "503", cells: [{ label: "errors/no_handler", seen: 0, hint: "send x-mock-fault: 503:errors/no_handler" }] }],
 *   { id: "errors", caption: "Error types served" }
 * )
 * page({ title: "mock coverage", body })
 * ```
 *
 * @since 0.1.0
 */
import { empty, type Html, html } from "./escape.js"
import { plural } from "./format.js"

/**
 * One thing that could have been seen.
 *
 * @since 0.1.0
 * @category models
 */
export interface GridCell {
  readonly label: string
  /** How many times it was seen (0: never); `true`/`false` when only seen or not is known. */
  readonly seen: number | boolean
  /** Shown on a cell that was never seen, e.g. the header that produces it. */
  readonly hint?: string | undefined
}

/**
 * Cells shown together under one heading (e.g. the error types of one status tier).
 *
 * @since 0.1.0
 * @category models
 */
export interface GridGroup {
  readonly title: string
  readonly cells: ReadonlyArray<GridCell>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface GridOptions {
  /** The grid element's id (a page may hold several grids). */
  readonly id?: string | undefined
  /** A line above the grid; the seen/total count is appended. */
  readonly caption?: string | undefined
}

/**
 * Whether a cell was seen.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSeen = (cell: GridCell): boolean => (typeof cell.seen === "number" ? cell.seen > 0 : cell.seen)

const countText = (cell: GridCell): string =>
  !isSeen(cell) ? "not seen" : typeof cell.seen === "number" ? `×${cell.seen}` : "seen"

const tooltip = (cell: GridCell): string =>
  !isSeen(cell)
    ? `${cell.label}: not seen${cell.hint === undefined ? "" : `; ${cell.hint}`}`
    : typeof cell.seen === "number"
      ? `${cell.label}: seen ${plural(cell.seen, "time")}`
      : `${cell.label}: seen`

const cellHtml = (cell: GridCell): Html => {
  const seen = isSeen(cell)
  const hint = !seen && cell.hint !== undefined ? html`<small class="hint">${cell.hint}</small>` : empty
  return html`<li class="cell ${seen ? "seen" : "missing"}" title="${tooltip(cell)}"><span class="icon" aria-hidden="true">${seen ? "✓" : "○"}</span><span class="label">${cell.label}</span><span class="count">${countText(cell)}</span>${hint}</li>`
}

const tally = (cells: ReadonlyArray<GridCell>): string => `${cells.filter(isSeen).length} of ${cells.length} seen`

/**
 * The grid as HTML (needs {@link gridStyles} on the page; {@link page} includes them).
 *
 * @since 0.1.0
 * @category rendering
 */
export const coverageGrid = (groups: ReadonlyArray<GridGroup>, options: GridOptions = {}): Html => {
  const all = groups.flatMap((group) => group.cells)
  const caption =
    options.caption === undefined ? empty : html`<p class="grid-caption">${options.caption}: ${tally(all)}</p>`
  // One group needs no heading of its own: the caption already names it.
  const parts = groups.map(
    (group) =>
      html`<div class="grid-group">${groups.length > 1 ? html`<h3>${group.title} <small>(${tally(group.cells)})</small></h3>` : empty}<ul class="cells">${group.cells.map(cellHtml)}</ul></div>`
  )
  return html`<div class="grid"${options.id === undefined ? empty : html` id="${options.id}"`}>${caption}${parts}</div>`
}

/**
 * The grid's styles. Seen: a blue-green fill (readable by the common kinds of
 * colour blindness) with a solid border; missing: white with a dashed one.
 *
 * @since 0.1.0
 * @category rendering
 */
export const gridStyles = `
.grid-group h3 { font-size: 14px; margin: 12px 0 4px; } .grid-group h3 small { color: #555; font-weight: 400; }
ul.cells { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 6px; }
li.cell { border-radius: 4px; padding: 4px 8px; display: grid; grid-template-columns: auto 1fr auto; gap: 0 6px; align-items: baseline; min-width: 0; }
li.cell .label { overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
li.cell .count { font-variant-numeric: tabular-nums; font-size: 12px; white-space: nowrap; }
li.cell .hint { grid-column: 1 / -1; color: #555; overflow-wrap: anywhere; }
li.cell.seen { background: #e3f4ee; border: 2px solid #00734d; } li.cell.seen .icon { color: #00734d; font-weight: 700; }
li.cell.missing { background: #fff; border: 2px dashed #8a8a8a; color: #444; } li.cell.missing .count { font-style: italic; }
`
