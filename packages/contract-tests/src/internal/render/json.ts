/**
 * The report as JSON: what `--json FILE` writes for the suite, the proxy
 * and the HAR reader (the report model, pretty-printed, final newline).
 *
 * @since 0.1.0
 */
import type { ContractReport } from "../report/model.js"

/**
 * The report as pretty JSON (what `--json FILE` writes).
 *
 * @since 0.1.0
 * @category rendering
 */
export const toJson = (report: ContractReport): string => `${JSON.stringify(report, null, 2)}\n`
