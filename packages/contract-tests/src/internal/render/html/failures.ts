/**
 * The failures section of the HTML report: each kept failure with its
 * request, its answer status (colour, pattern AND name), the body indented
 * when it is JSON (a cut excerpt too, marked as cut), the
 * decode problems and the `curl` line that repeats the request.
 *
 * @since 0.1.0
 */
import type { ContractReport, Failure } from "../../report/model.js"
import { statusName, swatch } from "./charts.js"
import { empty, type Html, html } from "./escape.js"
import { plural, prettyBody } from "./format.js"
import type { StatusStyle } from "./palette.js"

/**
 * The colour and pattern of each answer status on the page.
 *
 * @since 0.1.0
 * @category models
 */
export type StatusStyles = ReadonlyMap<number | null, StatusStyle>

const credentials = { valid: "valid key", missing: "no key", invalid: "wrong key" } as const

/** The first few failures of each check are open; the rest one click away, so 50 failures stay readable. */
const OPEN_PER_CHECK = 3

const bodyBlock = (failure: Failure): Html => {
  if (failure.body.length === 0) return empty
  const pretty = prettyBody(failure.body, failure.bodyTruncated)
  const cut = failure.bodyTruncated
    ? html`<span class="empty"> …(cut: only the start of the body is kept)</span>`
    : empty
  return html`<dt>body</dt><dd><pre class="body${pretty.json ? " json" : ""}">${pretty.text}${cut}</pre></dd>`
}

const failureBlock = (failure: Failure, inCheck: number, number: number, colours: StatusStyles): Html => {
  const request = failure.request
  const facts: Array<Html> = []
  if (request !== null) {
    const style = colours.get(failure.status)
    facts.push(
      html`<dt>request</dt><dd class="mono">${request.method} ${request.url}</dd>`,
      html`<dt>id</dt><dd class="mono">${JSON.stringify(request.accountId)} (${credentials[request.credentials]})</dd>`,
      html`<dt>status</dt><dd class="status">${style === undefined ? empty : html`${swatch(style)} `}${failure.status === null ? "no response" : statusName(failure.status)}</dd>`
    )
  }
  if (failure.issues.length > 0) {
    facts.push(html`<dt>decode</dt><dd><pre>${failure.issues.join("\n")}</pre></dd>`)
  }
  facts.push(bodyBlock(failure))
  if (failure.curl !== null) facts.push(html`<dt>curl</dt><dd><pre class="curl">${failure.curl}</pre></dd>`)
  return html`<details class="failure"${inCheck <= OPEN_PER_CHECK ? html` open` : empty}><summary><strong>${number}) ${failure.check}</strong>: ${failure.message}</summary><dl>${facts}</dl></details>`
}

/**
 * Every failing check with its kept failures (the count is exact even when
 * fewer are kept).
 *
 * @since 0.1.0
 * @category rendering
 */
export const failuresSection = (report: ContractReport, colours: StatusStyles): Html => {
  const failing = report.checks.filter((c) => c.status === "fail")
  if (failing.length === 0) return html`<section id="failures"><h2>Failures</h2><p class="empty">None.</p></section>`
  let index = 1
  const parts = failing.map((check) => {
    const blocks = check.failures.map((failure, i) => failureBlock(failure, i + 1, index++, colours))
    const more =
      check.failureCount > check.failures.length
        ? html`<p>…and ${check.failureCount - check.failures.length} more (counted, not kept).</p>`
        : empty
    return html`<div id="failures-${check.name}"><h3><code>${check.name}</code>: ${plural(check.failureCount, "failure")}</h3>${blocks}${more}</div>`
  })
  return html`<section id="failures"><h2>Failures</h2>${parts}</section>`
}
