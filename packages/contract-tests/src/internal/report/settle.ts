/**
 * How a finished run's counts become its verdict: each check's status and
 * note (what it judged, or why it could not), the reasons the run could not
 * be judged, and `pass`/`fail`/`inconclusive`. Called once, by the report
 * builder's `finish`.
 *
 * @since 0.1.0
 */
import { Account } from "@postpress/schema"
import { type CheckName, checkNames, descriptions, responseChecks } from "../judge/checks.js"
import type { FinishOptions, RunInfo, Tally } from "./inputs.js"
import type { CheckResult, Failure, ReportSource, Verdict } from "./model.js"
import { type CheckUnit, describeReasons, sorted } from "./reasons.js"

/**
 * Everything the builder counted.
 *
 * @since 0.1.0
 * @category models
 */
export interface Counted {
  readonly info: RunInfo
  readonly options: FinishOptions
  readonly source: ReportSource
  readonly tally: (check: CheckName) => Tally
  readonly seen: ReadonlySet<string>
  readonly missing: ReadonlyArray<string>
  /** Answers no check could judge, by reason. */
  readonly unjudgedAnswers: ReadonlyMap<string, number>
  readonly judgedAccounts: ReadonlySet<string>
  readonly accountReasons: ReadonlyMap<string, ReadonlyMap<string, number>>
  readonly redact: (text: string) => string
}

/**
 * The checks that judge accounts: without any `--account-id` they cannot.
 *
 * @since 0.1.0
 * @category constants
 */
export const accountChecks: ReadonlyArray<CheckName> = ["response_schema", "known_accounts", "variant_coverage"]

/** What a response check that judged nothing lacked, when every answer was judged (by the others). */
const nothingToJudge: Partial<Record<CheckName, string>> = {
  response_schema: "no 200 answer came",
  error_envelope: "no error answer came"
}

/**
 * What a check counts: a response check every answer, `variant_coverage`
 * account types, a scenario check its requests.
 *
 * @since 0.1.0
 * @category models
 */
export const unitOf = (name: CheckName): CheckUnit =>
  name === "variant_coverage" ? "account types" : responseChecks.includes(name) ? "answers" : "requests"

/** What every check's settling reads besides its own tally. */
interface Context {
  readonly selected: ReadonlySet<CheckName>
  /** Checks that lacked their input, with the flag they need. */
  readonly notRun: Partial<Record<CheckName, string>>
  readonly unjudged: "inconclusive" | "not_run"
  /** The suite was given no `--account-id` at all: the account checks cannot judge anything. */
  readonly noAccounts: boolean
  readonly accountChecksSelected: ReadonlyArray<CheckName>
  readonly stopped: string | undefined
}

const contextOf = ({ info, options, source }: Counted): Context => {
  const selected = info.selected ?? new Set(checkNames)
  const notRun = options.notRun ?? {}
  return {
    selected,
    notRun,
    unjudged: options.unjudged ?? (source === "suite" ? "inconclusive" : "not_run"),
    noAccounts: info.accountIds !== undefined && info.accountIds.length === 0,
    accountChecksSelected: accountChecks.filter((name) => selected.has(name) && notRun[name] === undefined),
    stopped: options.stopped
  }
}

/** One check's status and note, from its tally. */
const checkResultOf =
  (counted: Counted, context: Context) =>
  (name: CheckName): CheckResult => {
    const { options } = counted
    const t = counted.tally(name)
    const unit = unitOf(name)
    const base = {
      name,
      description: descriptions[name],
      unit,
      evaluated: t.evaluated,
      inconclusive: t.inconclusive,
      notJudged: sorted(t.reasons),
      failureCount: t.failureCount,
      failures: t.failures,
      durationMs: t.durationMs ?? (responseChecks.includes(name) ? options.durationMs : 0),
      latency: t.latency.summary()
    }
    const note = options.notes?.[name]
    const withNote = note === undefined ? base : { ...base, note }
    if (!context.selected.has(name)) return { ...base, status: "not_run", note: "not selected" }
    const lacking = context.notRun[name]
    if (lacking !== undefined) return { ...base, status: "not_run", note: lacking }
    if (context.stopped !== undefined && t.evaluated === 0 && t.failureCount === 0) {
      // Each check says why (a JUnit test case or an HTML row is read on its own).
      return { ...base, status: "inconclusive", note: `the run stopped at its first request (${context.stopped})` }
    }
    if (context.noAccounts && accountChecks.includes(name) && t.failureCount === 0) {
      return { ...base, status: "inconclusive", note: "needs --account-id" }
    }
    if (name === "variant_coverage") return variantResult(base, counted, counted.info)
    if (t.failureCount > 0) return { ...withNote, status: "fail" }
    if (t.evaluated === 0) {
      const why =
        describeReasons(sorted(t.reasons.size > 0 ? t.reasons : counted.unjudgedAnswers)) ??
        nothingToJudge[name] ??
        "nothing to judge"
      return context.unjudged === "inconclusive"
        ? { ...base, status: "inconclusive", note: `0 ${unit} judged: ${why}` }
        : { ...base, status: "not_run", note: note ?? "no exchange it could judge" }
    }
    return { ...withNote, status: "pass" }
  }

/** The reasons the run as a whole could not be judged (the checks', the accounts', the caller's). */
const runReasons = (counted: Counted, context: Context, checks: ReadonlyArray<CheckResult>): Array<string> => {
  const reasons: Array<string> = []
  if (context.stopped !== undefined) return [context.stopped, ...(counted.options.inconclusiveReasons ?? [])]
  for (const check of checks) {
    if (check.status !== "inconclusive") continue
    if (context.noAccounts && accountChecks.includes(check.name)) continue
    reasons.push(`${check.name}: ${check.note ?? "nothing judged"}`)
  }
  const noAccountsBlocked = context.accountChecksSelected.filter(
    (name) => checks.find((c) => c.name === name)?.status === "inconclusive"
  )
  if (context.noAccounts && noAccountsBlocked.length > 0) {
    reasons.push(
      `no --account-id, so ${noAccountsBlocked.join(", ")} judged no account: give --account-id, or exclude them explicitly (--exclude-checks ${accountChecks.join(",")}) to check error behaviour only`
    )
  }
  const accountIds = counted.info.accountIds
  if (accountIds !== undefined && context.accountChecksSelected.length > 0) {
    for (const id of new Set(accountIds)) {
      if (counted.judgedAccounts.has(id)) continue
      const why = describeReasons(sorted(counted.accountReasons.get(id) ?? new Map()))
      reasons.push(`account ${JSON.stringify(counted.redact(id))} never judged${why === undefined ? "" : `: ${why}`}`)
    }
  }
  reasons.push(...(counted.options.inconclusiveReasons ?? []))
  return reasons
}

/**
 * The checks, the reasons the run could not be judged, and the verdict.
 *
 * @since 0.1.0
 * @category settling
 */
export const settle = (
  counted: Counted
): {
  readonly checks: ReadonlyArray<CheckResult>
  readonly reasons: ReadonlyArray<string>
  readonly verdict: Verdict
} => {
  const context = contextOf(counted)
  const checks = checkNames.map(checkResultOf(counted, context))
  const reasons = runReasons(counted, context, checks)
  const judgedSomething = checks.some((c) => c.status === "pass" || c.status === "fail")
  if (!judgedSomething && reasons.length === 0) reasons.push("no check judged anything")
  const verdict: Verdict = checks.some((c) => c.status === "fail")
    ? "fail"
    : reasons.length > 0
      ? "inconclusive"
      : "pass"
  return { checks, reasons, verdict }
}

const variantResult = (base: Omit<CheckResult, "status" | "note">, counted: Counted, info: RunInfo): CheckResult => {
  const seenCount = counted.seen.size
  const missing = counted.missing
  const note = `seen ${seenCount}/${Account.accountTypes.length}${missing.length > 0 ? `; missing ${missing.join(", ")}` : ""}`
  const evaluated = { ...base, evaluated: seenCount }
  if (info.requireVariants !== true && seenCount === 0) {
    return { ...evaluated, status: "inconclusive", note: "0 account types seen: no account body was decoded" }
  }
  if (info.requireVariants !== true || missing.length === 0) return { ...evaluated, status: "pass", note }
  const failure: Failure = {
    check: "variant_coverage",
    message: `--require-variants: no account of type ${missing.join(", ")} was seen`,
    request: null,
    status: null,
    body: "",
    bodyTruncated: false,
    issues: [],
    seed: info.seed,
    curl: null
  }
  return { ...evaluated, status: "fail", note, failureCount: 1, failures: [failure] }
}
