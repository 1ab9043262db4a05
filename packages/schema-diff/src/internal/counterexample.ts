/**
 * The proof behind a breaking verdict: a concrete JSON value that NEW's
 * validator accepts and OLD's rejects AT the change's place, found by
 * generating from NEW (fast-check, seeded, aimed at the change first, then
 * anywhere) and shrunk by fast-check to a small one, with OLD's ajv errors
 * about it.
 *
 * @internal
 */
import * as fc from "fast-check"
import { type Focus, subjectArbitrary } from "./arbitrary.js"
import type { Contract } from "./document.js"
import type { Found } from "./found.js"
import type { Json, Step } from "./json.js"
import { atPlace } from "./place.js"
import type { Validators } from "./validators.js"

/** How hard to look: the seed, and the runs aimed at the change (as many again anywhere). */
export interface Budget {
  readonly seed: number
  readonly runs: number
}

export interface Counterexample {
  readonly value: Json
  /** OLD's ajv errors about it. */
  readonly oldError: string
}

/** Where the generator aims: the change's path, ending at the object for a property left out or added. */
export const focusOf = (change: Found): Focus => {
  const { bias, steps } = change
  const last = steps[steps.length - 1]
  const atParent =
    (bias._tag === "omit" || bias._tag === "extra") && last?._tag === "property" && last.name === bias.name
  return { steps: atParent ? steps.slice(0, -1) : steps, bias }
}

const propertyName = (change: Found): string | undefined => {
  if (change.bias._tag === "omit" || change.bias._tag === "extra") return change.bias.name
  const last: Step | undefined = change.steps[change.steps.length - 1]
  return last?._tag === "property" ? last.name : undefined
}

/** Both sides of a diff, read and compiled. */
export interface Sides {
  readonly old: { readonly contract: Contract; readonly validators: Validators }
  readonly next: { readonly contract: Contract; readonly validators: Validators }
}

/** Looks for a counterexample to `change`; `undefined` when none turned up within the budget. */
export const search = (sides: Sides, change: Found, budget: Budget): Counterexample | undefined => {
  const [oldSubject, newSubject] = [sides.old, sides.next].map((side) =>
    side.contract.subjects.find((s) => s.name === change.subject)
  )
  const [oldValidator, newValidator] = [sides.old, sides.next].map((side) => side.validators.subject(change.subject))
  if (
    oldSubject === undefined ||
    newSubject === undefined ||
    oldValidator === undefined ||
    newValidator === undefined
  ) {
    return undefined
  }
  const name = propertyName(change)
  const place = (value: Json) =>
    atPlace(sides.old.contract, sides.old.validators, oldSubject.schema, value, change.errorAt, name)
  // A counterexample: NEW accepts it, OLD rejects it, and OLD rejects it where the change is.
  const holds = (value: Json) => !newValidator.accepts(value) || oldValidator.accepts(value) || !place(value).rejected
  for (const focus of [focusOf(change), undefined]) {
    const arbitrary = subjectArbitrary(sides.next.contract, newSubject.schema, focus)
    const result = fc.check(fc.property(arbitrary, holds), { seed: budget.seed, numRuns: budget.runs })
    const value = result.counterexample?.[0]
    if (result.failed && value !== undefined && !holds(value)) return { value, oldError: place(value).complaint }
  }
  return undefined
}
