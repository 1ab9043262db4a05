/**
 * The comparison: walks an OLD and a NEW response contract side by side
 * and names every change with its rule and its severity for a reader of
 * OLD. Unions are matched by their discriminator's literal (a variant is
 * `type=MAIL` wherever it sits in the list), nullability and types first,
 * then the keyword families (`keywords.ts`). A keyword no rule covers is an
 * `unclassified-change`, judged later by the counterexample search.
 *
 * A named schema that is the same in both documents (and everything it
 * refers to) is not walked again: diffing a document against itself
 * touches each node once.
 *
 * @internal
 */
import type { Contract } from "./document.js"
import type { Found } from "./found.js"
import { equal, formatPath, isObject, type Json, literalText, type Step } from "./json.js"
import * as Keywords from "./keywords.js"
import { admits, branchLiteral, isAnnotation, type JsonType, propertiesOf, type View, view } from "./view.js"

/** The names of the schemas that are the same in both documents, down to everything they refer to. */
const unchangedDefs = (old: Contract, next: Contract): ReadonlySet<string> => {
  const refsOf = (value: Json, into: Set<string>): Set<string> => {
    if (Array.isArray(value)) for (const item of value) refsOf(item, into)
    else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key === "$ref" && typeof child === "string") into.add(child.slice("#/$defs/".length))
        else refsOf(child, into)
      }
    }
    return into
  }
  const same = new Set(
    Object.keys(old.defs).filter((name) => name in next.defs && equal(old.defs[name], next.defs[name]))
  )
  for (let changed = true; changed; ) {
    changed = false
    for (const name of same) {
      if ([...refsOf(old.defs[name]!, new Set())].some((ref) => !same.has(ref))) {
        same.delete(name)
        changed = true
      }
    }
  }
  return same
}

interface Walk {
  readonly old: Contract
  readonly next: Contract
  readonly unchanged: ReadonlySet<string>
  readonly subject: string
  readonly found: Array<Found>
}

/** Equal, with every `$ref` naming a schema that did not change. */
const same = (walk: Walk, a: Json, b: Json): boolean => {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(walk, x, b[i]!))
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
    return keys.every((key) =>
      key === "$ref"
        ? a.$ref === b.$ref && typeof a.$ref === "string" && walk.unchanged.has(a.$ref.slice("#/$defs/".length))
        : key in b && same(walk, a[key]!, b[key]!)
    )
  }
  return a === b
}

/** What the tier of an error envelope is: its `status` literal, when it also has a `type` enum. */
const tierOf = (walk: Walk, node: View): Json | undefined => {
  const properties = propertiesOf(node)
  if (properties.status === undefined || properties.type === undefined) return undefined
  const status = view(walk.next, { schema: properties.status, pointer: "" })
  return status.values?.length === 1 && typeof status.values[0] === "number" ? status.values[0] : undefined
}

interface At {
  readonly steps: ReadonlyArray<Step>
  readonly tier: Json | undefined
  /** OLD|NEW pointer pairs on the way here: a recursive schema is walked once. */
  readonly ancestors: ReadonlySet<string>
}

type Report = (at: At, o: View, n: View) => Keywords.Report

const reporter: (walk: Walk) => Report = (walk) => (_at, o, n) => (change) =>
  walk.found.push({
    ...change,
    subject: walk.subject,
    where: `${o.pointer}|${n.pointer}`,
    errorAt: change.errorAt ?? change.steps
  })

/** Variants matched by their discriminator's literal; without one, the union is judged as a whole. */
const unions = (walk: Walk, o: View, n: View, at: At) => {
  const report = reporter(walk)(at, o, n)
  const oBranches = o.union?.branches ?? [o]
  const nBranches = n.union?.branches ?? [n]
  const discriminator = o.union?.discriminator ?? n.union?.discriminator
  const literals = (contract: Contract, branches: ReadonlyArray<View>) =>
    discriminator === undefined ? [] : branches.map((branch) => branchLiteral(contract, branch, discriminator))
  const [oLits, nLits] = [literals(walk.old, oBranches), literals(walk.next, nBranches)]
  if (discriminator === undefined || [...oLits, ...nLits].some((lit) => lit === undefined)) {
    const description = `union of ${oBranches.length} → ${nBranches.length} branches changed (no discriminator to match them by)`
    report({
      rule: "unclassified-change",
      severity: "search",
      steps: at.steps,
      description,
      bias: { _tag: "leaf", schema: n.schema }
    })
    return
  }
  const isStatus = discriminator === "status" && nLits.concat(oLits).every((lit) => typeof lit === "number")
  const key = (lit: Json | undefined) => JSON.stringify(lit)
  nBranches.forEach((branch, i) => {
    const lit = nLits[i]!
    const steps = [...at.steps, { _tag: "variant", property: discriminator, value: lit } as const]
    const match = oLits.findIndex((l) => key(l) === key(lit))
    if (match === -1) {
      report({
        rule: isStatus ? "status-added" : "variant-added",
        severity: "breaking",
        steps,
        description: isStatus
          ? `status ${literalText(lit)} added`
          : `variant ${discriminator}=${literalText(lit)} added`,
        bias: { _tag: "reach" },
        errorAt: [...at.steps, { _tag: "property", name: discriminator }]
      })
    } else {
      const tier = isStatus ? lit : at.tier
      node(walk, oBranches[match]!, branch, { ...at, steps, tier })
    }
  })
  oBranches.forEach((_, i) => {
    const lit = oLits[i]!
    if (nLits.some((l) => key(l) === key(lit))) return
    report({
      rule: isStatus ? "status-removed" : "variant-removed",
      severity: "narrowing",
      steps: [...at.steps, { _tag: "variant", property: discriminator, value: lit }],
      description: isStatus
        ? `status ${literalText(lit)} removed`
        : `variant ${discriminator}=${literalText(lit)} removed`,
      bias: { _tag: "reach" }
    })
  })
}

const typeNames = (types: ReadonlySet<JsonType> | undefined): string =>
  types === undefined ? "any" : [...types].join(", ") || "none"

/** The JSON types: NEW's that OLD does not admit widen, OLD's that NEW does not admit narrow. */
const types = (walk: Walk, o: View, n: View, at: At): boolean => {
  const report = reporter(walk)(at, o, n)
  const newOnly =
    n.types === undefined ? (o.types === undefined ? [] : ["any"]) : [...n.types].filter((t) => !admits(o.types, t))
  const oldOnly =
    o.types === undefined ? (n.types === undefined ? [] : ["any"]) : [...o.types].filter((t) => !admits(n.types, t))
  if (newOnly.length === 0 && oldOnly.length === 0) return false
  const description = `type ${typeNames(o.types)} → ${typeNames(n.types)}`
  const leaf = n.types === undefined ? n.keywords : { ...n.keywords, type: newOnly }
  if (newOnly.length === 0)
    report({ rule: "type-narrowed", severity: "narrowing", steps: at.steps, description, bias: { _tag: "reach" } })
  else {
    const rule = oldOnly.length === 0 ? "type-widened" : "type-changed"
    report({ rule, severity: "breaking", steps: at.steps, description, bias: { _tag: "leaf", schema: leaf } })
  }
  return true
}

/** Enum values, one change per value; an error envelope's `type` values are error types of its tier. */
const values = (walk: Walk, o: View, n: View, at: At) => {
  const report = reporter(walk)(at, o, n)
  const last = at.steps[at.steps.length - 1]
  const errorTier = last?._tag === "property" && last.name === "type" ? at.tier : undefined
  if (o.values !== undefined && n.values === undefined) {
    report({
      rule: "enum-removed",
      severity: "breaking",
      steps: at.steps,
      description: "enum removed",
      bias: { _tag: "leaf", schema: n.keywords }
    })
  } else if (o.values === undefined && n.values !== undefined) {
    report({
      rule: "enum-added",
      severity: "narrowing",
      steps: at.steps,
      description: `enum added (${n.values.map(literalText).join(", ")})`,
      bias: { _tag: "reach" }
    })
  }
  if (o.values === undefined || n.values === undefined) return
  for (const [value, side] of [
    ...n.values.filter((v) => !o.values!.some((w) => equal(v, w))).map((v) => [v, "added"] as const),
    ...o.values.filter((v) => !n.values!.some((w) => equal(v, w))).map((v) => [v, "removed"] as const)
  ]) {
    const isAdded = side === "added"
    const severity = isAdded ? "breaking" : "narrowing"
    const bias = isAdded ? ({ _tag: "leaf", schema: { enum: [value] } } as const) : ({ _tag: "reach" } as const)
    if (errorTier !== undefined) {
      const description = `error type ${literalText(value)} ${side} ${isAdded ? "to" : "from"} status ${literalText(errorTier)}`
      const base = { severity, steps: at.steps, description, bias, errorType: { value, tier: errorTier } } as const
      walk.found.push({
        ...base,
        rule: isAdded ? "error-type-added" : "error-type-removed",
        subject: walk.subject,
        where: `${o.pointer}|${n.pointer}`,
        errorAt: at.steps
      })
    } else {
      report({
        rule: isAdded ? "enum-value-added" : "enum-value-removed",
        severity,
        steps: at.steps,
        description: `enum value ${JSON.stringify(value)} ${side}`,
        bias
      })
    }
  }
}

/** Keywords the rules judge; any other (not an annotation) that differs is an unclassified change. */
const judged = new Set([
  ...["$ref", "type", "enum", "const", "anyOf", "oneOf", "format", "pattern", "minLength", "maxLength"],
  ...["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "properties", "required"],
  ...["additionalProperties", "items", "minItems", "maxItems"]
])

const leftovers = (walk: Walk, o: View, n: View, at: At) => {
  const keys = new Set([...Object.keys(o.keywords), ...Object.keys(n.keywords)])
  const union = o.union !== undefined || n.union !== undefined
  const changed = [...keys].filter(
    (key) =>
      !isAnnotation(key) &&
      (union ? key !== "anyOf" && key !== "oneOf" : !judged.has(key)) &&
      !same(walk, o.keywords[key] ?? null, n.keywords[key] ?? null)
  )
  if (changed.length === 0) return
  reporter(walk)(at, o, n)({
    rule: "unclassified-change",
    severity: "search",
    steps: at.steps,
    description: `${changed.join(", ")} changed`,
    bias: { _tag: "leaf", schema: n.schema }
  })
}

/** Compares one OLD node with one NEW node at `at`. */
const node = (walk: Walk, o: View, n: View, at: At): void => {
  if (o.nullable === n.nullable && same(walk, o.schema, n.schema)) return
  const pair = `${o.pointer}|${n.pointer}`
  if (at.ancestors.has(pair)) return
  const inner: At = { ...at, ancestors: new Set([...at.ancestors, pair]), tier: tierOf(walk, n) ?? at.tier }
  const report = reporter(walk)(inner, o, n)
  if (!o.nullable && n.nullable && !n.never) {
    report({
      rule: "nullable-added",
      severity: "breaking",
      steps: at.steps,
      description: "may now be null",
      bias: { _tag: "leaf", schema: { type: "null" } }
    })
  } else if (o.nullable && !n.nullable && !o.never) {
    report({
      rule: "nullable-removed",
      severity: "narrowing",
      steps: at.steps,
      description: "may no longer be null",
      bias: { _tag: "reach" }
    })
  }
  leftovers(walk, o, n, inner)
  if (o.union !== undefined || n.union !== undefined) {
    unions(walk, o, n, inner)
    return
  }
  types(walk, o, n, inner)
  values(walk, o, n, inner)
  const recurse: Keywords.Recurse = (old, next, steps) =>
    node(walk, view(walk.old, old), view(walk.next, next), { ...inner, steps })
  const both = (type: JsonType) => admits(o.types, type) && admits(n.types, type)
  if (both("string")) Keywords.strings(report, o, n, at.steps)
  if (both("number") || both("integer")) Keywords.numbers(report, o, n, at.steps)
  if (both("array")) Keywords.arrays(report, recurse, o, n, at.steps)
  if (both("object")) Keywords.objects(report, recurse, o, n, at.steps)
}

/** One change per rule, place in the documents and description: the places it was met are its paths. */
export interface Grouped extends Found {
  readonly alsoAt: ReadonlyArray<string>
}

const group = (found: ReadonlyArray<Found>): ReadonlyArray<Grouped> => {
  const byKey = new Map<string, { first: Found; paths: Array<string> }>()
  for (const change of found) {
    const key = `${change.subject}|${change.rule}|${change.where}|${change.description}`
    const entry = byKey.get(key)
    if (entry === undefined) byKey.set(key, { first: change, paths: [] })
    else entry.paths.push(formatPath(change.steps))
  }
  return [...byKey.values()].map(({ first, paths }) => ({ ...first, alsoAt: paths }))
}

/** An error type removed from one tier and added to another is one move. */
const moves = (found: ReadonlyArray<Found>): ReadonlyArray<Found> => {
  const removals = found.filter((f) => f.rule === "error-type-removed")
  const out: Array<Found> = []
  const paired = new Set<Found>()
  for (const change of found) {
    if (change.rule !== "error-type-added" || change.errorType === undefined) continue
    const from = removals.find(
      (r) => !paired.has(r) && r.subject === change.subject && equal(r.errorType?.value, change.errorType!.value)
    )
    if (from === undefined) continue
    paired.add(from).add(change)
    out.push({
      ...change,
      rule: "error-type-moved",
      description: `error type ${literalText(change.errorType.value)} moved from status ${literalText(from.errorType!.tier)} to ${literalText(change.errorType.tier)}`
    })
  }
  return [...found.filter((f) => !paired.has(f)), ...out]
}

/** An operation only one side has: added (safe) or removed (narrowing), judged as a whole. */
const operationChange = (subject: string, change: "added" | "removed"): Found => ({
  rule: `operation-${change}`,
  severity: change === "added" ? "safe" : "narrowing",
  subject,
  steps: [],
  where: subject,
  description: `operation ${subject} ${change}`,
  bias: { _tag: "reach" },
  errorAt: []
})

/** Every change between two contracts, subject by subject (operations only one side has: added, removed). */
export const compare = (old: Contract, next: Contract): ReadonlyArray<Grouped> => {
  const unchanged = unchangedDefs(old, next)
  const found: Array<Found> = []
  for (const subject of next.subjects) {
    const before = old.subjects.find((s) => s.name === subject.name)
    if (before === undefined) {
      found.push(operationChange(subject.name, "added"))
      continue
    }
    const walk: Walk = { old, next, unchanged, subject: subject.name, found }
    const pointer = `#${subject.name}`
    node(walk, view(old, { schema: before.schema, pointer }), view(next, { schema: subject.schema, pointer }), {
      steps: [],
      tier: undefined,
      ancestors: new Set()
    })
  }
  for (const subject of old.subjects) {
    if (next.subjects.some((s) => s.name === subject.name)) continue
    found.push(operationChange(subject.name, "removed"))
  }
  return group(moves(found))
}
