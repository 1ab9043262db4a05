/**
 * Whether OLD rejects a value AT the place of a change, and what it says
 * there. A counterexample must fail for the change it is shown for, not for
 * another one elsewhere in the same document: the value and OLD's schema
 * are walked together along the change's path (the variant whose literal the
 * value carries, its property, its items…) as far as OLD's schema goes, and
 * the part of the value found there is validated against the part of OLD
 * found there. OLD's complaint is that validator's errors (ajv's), at the
 * place first.
 *
 * @internal
 */
import type { Contract } from "./document.js"
import { equal, escapePointer, isObject, type Json, type Step } from "./json.js"
import { complaint, type Validators } from "./validators.js"
import { branchLiteral, propertiesOf, type View, view } from "./view.js"

/** How far the walk went: OLD's node, the value there, its pointer in the whole value, the steps left. */
interface Reached {
  readonly node: View
  readonly value: Json
  readonly pointer: string
  readonly rest: ReadonlyArray<Step>
}

/** The places a value has for the steps (several for items and unknown properties); none when it is elsewhere. */
const walk = (
  old: Contract,
  node: View,
  value: Json,
  pointer: string,
  steps: ReadonlyArray<Step>
): ReadonlyArray<Reached> => {
  const [step, ...rest] = steps
  const stop = [{ node, value, pointer, rest: steps }]
  if (step === undefined) return stop
  switch (step._tag) {
    case "variant": {
      // The value must be that variant; OLD may not have it (then OLD's union is the place).
      if (!isObject(value) || !equal(value[step.property], step.value)) return []
      const branch = node.union?.branches.find((b) => equal(branchLiteral(old, b, step.property), step.value))
      return branch === undefined
        ? node.union === undefined
          ? walk(old, node, value, pointer, rest)
          : stop
        : walk(old, branch, value, pointer, rest)
    }
    case "property": {
      if (!isObject(value) || !(step.name in value)) return []
      if (node.union !== undefined) return stop
      const schema = propertiesOf(node)[step.name] ?? node.keywords.additionalProperties ?? true
      return walk(
        old,
        view(old, { schema, pointer: "" }),
        value[step.name]!,
        `${pointer}/${escapePointer(step.name)}`,
        rest
      )
    }
    case "items": {
      if (!Array.isArray(value) || node.union !== undefined) return Array.isArray(value) ? stop : []
      const items = view(old, { schema: node.keywords.items ?? true, pointer: "" })
      return value.flatMap((item, i) => walk(old, items, item, `${pointer}/${i}`, rest))
    }
    case "additional": {
      if (!isObject(value) || node.union !== undefined) return isObject(value) ? stop : []
      const declared = propertiesOf(node)
      return Object.entries(value)
        .filter(([name]) => !(name in declared))
        .flatMap(([name, child]) => {
          const schema = node.keywords.additionalProperties ?? true
          return walk(old, view(old, { schema, pointer: "" }), child, `${pointer}/${escapePointer(name)}`, rest)
        })
    }
  }
}

/** OLD's verdict on a value at a change's place: rejected there, and ajv's words. */
export interface AtPlace {
  readonly rejected: boolean
  readonly complaint: string
}

/** Whether OLD (its `subject` schema) rejects `value` at `errorAt`; `name`: the property at stake, if any. */
export const atPlace = (
  old: Contract,
  validators: Validators,
  subject: Json,
  value: Json,
  errorAt: ReadonlyArray<Step>,
  name: string | undefined
): AtPlace => {
  for (const reached of walk(old, view(old, { schema: subject, pointer: "" }), value, "", errorAt)) {
    const validator = validators.at(reached.node.schema)
    if (validator.accepts(reached.value)) continue
    return {
      rejected: true,
      complaint: complaint(validator.errors(reached.value), reached.rest, name, reached.pointer)
    }
  }
  return { rejected: false, complaint: "" }
}
