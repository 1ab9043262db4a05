/**
 * The mock's coverage report as a standalone HTML page (`postpress mock
 * --coverage-html FILE`): a grid per kind (account types, error types by
 * tier, behaviours), seen in green with the count, missing in red with the
 * request that produces it. The testkit returns coverage as data
 * (`MockCoverage`); drawing it is a renderer's job.
 *
 * @since 0.1.0
 */
import { Account, ErrorCatalogue } from "@postpress/schema"
import * as MockCoverage from "@postpress/testkit/MockCoverage"
import { html } from "./html/escape.js"
import { coverageGrid, type GridGroup } from "./html/grid.js"
import { page } from "./html/page.js"

/**
 * The page for a coverage report; `fixtures` (the mock's workspaces) name the
 * id that serves each missing account type.
 *
 * @since 0.1.0
 * @category rendering
 */
export const coverageHtml = (report: MockCoverage.Report, fixtures: MockCoverage.Fixtures = []): string => {
  const errorsOf = (status: ErrorCatalogue.ErrorStatus): Readonly<Partial<Record<string, number>>> =>
    report.seen.errors[String(status)] ?? {}
  const types: GridGroup = {
    title: "Account types",
    cells: Account.accountTypes.map((type) => ({
      label: type,
      seen: report.seen.types[type] ?? 0,
      hint: MockCoverage.typeHint(fixtures, type)
    }))
  }
  const errors: ReadonlyArray<GridGroup> = ErrorCatalogue.tiers.map((tier) => ({
    title: `${tier.status} ${tier.title}`,
    cells: ErrorCatalogue.typesOf(tier.status).map((type) => ({
      label: type,
      seen: errorsOf(tier.status)[type] ?? 0,
      hint: MockCoverage.errorHint(type)
    }))
  }))
  const seenBehaviours: GridGroup = {
    title: "Behaviours",
    cells: MockCoverage.behaviours.map((b) => ({
      label: MockCoverage.behaviourHints[b].label,
      seen: report.seen.behaviours[b] ?? 0,
      hint: MockCoverage.behaviourHints[b].how
    }))
  }
  const [headline] = MockCoverage.summaryLines(report, fixtures)
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
