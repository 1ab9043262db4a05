/**
 * A diff from two parsed documents to its result: read both, compile their
 * validators (a document ajv refuses is not one this tool understands),
 * compare, then look for a counterexample to every breaking change (and
 * judge the changes only a search can judge).
 *
 * @internal
 */

import { compare, type Grouped } from "./compare.js"
import { type Budget, type Sides, search } from "./counterexample.js"
import { type Contract, Refused, read } from "./document.js"
import { NotASchemaDocument, type Side } from "./errors.js"
import { formatPath } from "./json.js"
import { Change, Counterexample, DiffResult, DocumentInfo, type Verdict } from "./model.js"
import type { Severity } from "./rules.js"
import { type Validators, validators } from "./validators.js"

/** A document to diff: its parsed JSON, and the file it came from (for messages and the result). */
export interface Input {
  readonly document: unknown
  readonly path?: string | undefined
}

const refused = (side: Side, input: Input, reason: string) =>
  new NotASchemaDocument({ side, path: input.path ?? "", reason })

interface Loaded {
  readonly contract: Contract
  readonly validators: Validators
}

/** Documents already read and compiled, by identity (a gate or a test diffs one document against many). */
const loaded = new WeakMap<object, Loaded>()

/** Reads and compiles one side; throws {@link NotASchemaDocument}. */
const load = (side: Side, input: Input): Loaded => {
  const known = typeof input.document === "object" && input.document !== null ? loaded.get(input.document) : undefined
  if (known !== undefined) return known
  const made = compile(side, input)
  if (typeof input.document === "object" && input.document !== null) loaded.set(input.document, made)
  return made
}

const compile = (side: Side, input: Input): Loaded => {
  try {
    const contract = read(input.document)
    try {
      return { contract, validators: validators(contract) }
    } catch (error) {
      // ajv names places from the root it compiled (the subject under allOf/0): from the document's schema instead.
      const message = (error instanceof Error ? error.message : String(error)).replaceAll(/data\/allOf\/0\/?/g, "/")
      throw refused(side, input, `not a valid JSON Schema (${message})`)
    }
  } catch (error) {
    if (error instanceof Refused) throw refused(side, input, error.message)
    throw error
  }
}

const order: Readonly<Record<Severity, number>> = { breaking: 0, narrowing: 1, safe: 2 }

const judge = (change: Grouped, sides: Sides, budget: Budget): Change => {
  const base = {
    rule: change.rule,
    subject: change.subject,
    path: formatPath(change.steps),
    description: change.description,
    alsoAt: change.alsoAt
  }
  if (change.severity !== "breaking" && change.severity !== "search")
    return new Change({ ...base, severity: change.severity })
  const found = search(sides, change, budget)
  if (found !== undefined)
    return new Change({ ...base, severity: "breaking", counterexample: new Counterexample(found) })
  const tries = `none found in ${budget.runs * 2} generated values (seed ${budget.seed})`
  return change.severity === "search"
    ? new Change({ ...base, severity: "narrowing", noCounterexample: tries })
    : new Change({ ...base, severity: "breaking", noCounterexample: tries })
}

const verdictOf = (changes: ReadonlyArray<Change>): Verdict =>
  changes.length === 0
    ? "unchanged"
    : changes.some((c) => c.severity === "breaking")
      ? "breaking"
      : changes.some((c) => c.severity === "narrowing")
        ? "narrowing"
        : "safe"

/** The diff; throws {@link NotASchemaDocument} for a document it does not understand. */
export const run = (oldInput: Input, newInput: Input, budget: Budget): DiffResult => {
  const old = load("OLD", oldInput)
  const next = load("NEW", newInput)
  if (old.contract.kind !== next.contract.kind) {
    const kind = (contract: Contract) => (contract.kind === "openapi" ? "an OpenAPI document" : "a JSON Schema")
    throw refused("NEW", newInput, `is ${kind(next.contract)} and OLD ${kind(old.contract)}: compare two of a kind`)
  }
  const changes = compare(old.contract, next.contract)
    .map((change) => judge(change, { old, next }, budget))
    .sort(
      (a, b) =>
        order[a.severity] - order[b.severity] || a.subject.localeCompare(b.subject) || a.path.localeCompare(b.path)
    )
  const info = (input: Input, contract: Contract) =>
    new DocumentInfo({
      kind: contract.kind,
      summary: contract.summary,
      ...(input.path === undefined ? {} : { path: input.path })
    })
  const count = (severity: Severity) => changes.filter((c) => c.severity === severity).length
  return new DiffResult({
    verdict: verdictOf(changes),
    old: info(oldInput, old.contract),
    new: info(newInput, next.contract),
    counts: { breaking: count("breaking"), narrowing: count("narrowing"), safe: count("safe") },
    changes,
    search: budget
  })
}
