/**
 * The report as ONE self-contained HTML page (what `--html FILE` writes for
 * the suite, `contract proxy` and `contract har`), for a CI artifact people
 * open: the verdict (pass, fail or inconclusive, with what could not be
 * judged), the tool and version, the command line that reruns it, the checks
 * with their times, every kept failure with its request, status, indented
 * body, decode path and `curl` line (key masked), the account types seen,
 * latency by answer status and the drift table. A proxy or HAR report shows
 * no seed or runs: they do not apply.
 *
 * No external script, font, style or image: styles are inline, charts are
 * inline SVG, and the page has no script at all (./internal/render/html/page.ts).
 * Everything the server sent is escaped; with `secrets` every text shown also
 * goes through the shared `Redaction.scrub`.
 *
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs"
 * import { type ContractReport, ContractHtml } from "@postpress/contract-tests"
 *
 * declare const report: ContractReport.ContractReport
 * declare const apiKey: string
 * writeFileSync("contract.html", ContractHtml.render(report, { secrets: [apiKey] }))
 * ```
 *
 * @since 0.1.0
 */
import type * as MockCoverage from "@postpress/testkit/MockCoverage"
import { coverageHtml } from "./internal/render/coverageHtml.js"

export { type RenderOptions, render } from "./internal/render/html/report.js"

/**
 * The mock's coverage report (`MockCoverage.Report` from `@postpress/testkit`)
 * as a standalone page (what `postpress mock --coverage-html FILE` writes): a
 * grid per kind (account types, error types by tier, behaviours), seen in
 * green with the count, missing in red with the request that produces it;
 * `fixtures` (the mock's workspaces) name the id that serves each type.
 *
 * @example
 * ```ts
 * import { ContractHtml } from "@postpress/contract-tests"
 * import { MockServer } from "@postpress/testkit"
 *
 * const mock = await MockServer.startMockServer({ coverage: true })
 * // ... the service's tests call mock.url ...
 * const page = ContractHtml.coverage(await mock.coverage(), mock.workspaces)
 * await mock.stop()
 * ```
 *
 * @since 0.1.0
 * @category rendering
 */
export const coverage: (report: MockCoverage.Report, fixtures?: MockCoverage.Fixtures) => string = coverageHtml
