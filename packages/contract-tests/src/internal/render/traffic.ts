/**
 * Judged traffic as text: the summary line of a proxy session or HAR file,
 * and what a traffic report adds to the suite's renderings; every byte from
 * the traffic shown escaped.
 *
 * @since 0.1.0
 */
import { Printable } from "@postpress/schema"
import { type ContractReport, failedChecks } from "../report/model.js"
import { notJudgedPhrases, notJudgedSummary } from "../report/notJudged.js"
import type { TrafficReport, TrafficVerdict } from "../report/trafficModel.js"

const verdictLabel: Record<TrafficVerdict, string> = { pass: "PASS", fail: "FAIL", inconclusive: "INCONCLUSIVE" }

/**
 * The summary line of a traffic report: only what applies (no seed, no
 * runs), repeated reasons grouped, plurals right, every control character
 * from the traffic shown escaped (`Printable.text`).
 *
 * `PASS: 12 exchanges, 10 judged (none with violations); not judged: 2 not the operation (method or path)`
 *
 * @since 0.1.0
 * @category rendering
 */
export const summaryLine = (report: TrafficReport): string => {
  const t = report.traffic
  const failed = failedChecks(report)
  const parts = [
    `${verdictLabel[report.verdict]}: ${Printable.plural(t.exchanges, "exchange")}, ${t.judged} judged${t.judged > 0 ? ` (${t.violating === 0 ? "none" : t.violating} with violations)` : ""}`
  ]
  if (t.notJudged > 0) parts.push(`not judged: ${notJudgedSummary(t)}`)
  if (failed.length > 0) parts.push(`failed: ${failed.join(", ")}`)
  // Origins and media types came from traffic: a terminal shows them, never obeys them.
  return Printable.text(parts.join("; "))
}

/**
 * What a traffic report adds to the suite's renderings (HTML header and
 * not-judged list, JUnit properties): how many exchanges were judged, how
 * many were not, and why: grouped in one phrase (`why`) and one entry per
 * reason (`reasons`: the reason, its count, its phrase); `undefined` for a
 * suite report. Renderers escape the phrases for their format.
 *
 * @since 0.1.0
 * @category rendering
 */
export const trafficFacts = (
  report: ContractReport
):
  | {
      readonly exchanges: number
      readonly judged: number
      readonly notJudged: number
      readonly why: string
      readonly reasons: ReturnType<typeof notJudgedPhrases>
    }
  | undefined => {
  const traffic = report.traffic
  if (traffic === undefined) return undefined
  return {
    exchanges: traffic.exchanges,
    judged: traffic.judged,
    notJudged: traffic.notJudged,
    why: notJudgedSummary(traffic),
    reasons: notJudgedPhrases(traffic)
  }
}
