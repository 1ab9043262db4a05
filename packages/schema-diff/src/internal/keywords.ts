/**
 * The keyword rules: strings (format, pattern, lengths), numbers (bounds),
 * arrays (items, lengths) and objects (properties, required, additional
 * properties). Each compares one family of keywords of an OLD and a NEW
 * node and reports what changed in the reader's direction; nested schemas
 * go back to the node comparison through `recurse`.
 *
 * @internal
 */
import type { Bias } from "./found.js"
import { isObject, type Json, type JsonObject, numberOf, type Step } from "./json.js"
import type { RuleId, Severity } from "./rules.js"
import { type Located, propertiesOf, type View } from "./view.js"

/** What a keyword rule reports a change with. */
export type Report = (change: {
  readonly rule: RuleId
  readonly severity: Severity | "search"
  readonly steps: ReadonlyArray<Step>
  readonly description: string
  readonly bias: Bias
  readonly errorAt?: ReadonlyArray<Step>
}) => void

/** Compares two nested schemas at a deeper path. */
export type Recurse = (old: Located, next: Located, steps: ReadonlyArray<Step>) => void

const show = (value: number | undefined): string => (value === undefined ? "none" : String(value))

/** NEW's keywords for a leaf value, with extra bounds that keep it outside OLD's. */
const leafWith = (keywords: JsonObject, bounds: Record<string, number>): Bias => {
  const merged: Record<string, Json> = { ...keywords }
  for (const [keyword, value] of Object.entries(bounds)) {
    const existing = numberOf(keywords[keyword])
    const lower = keyword.startsWith("min") || keyword === "exclusiveMinimum"
    merged[keyword] = existing === undefined ? value : lower ? Math.max(existing, value) : Math.min(existing, value)
  }
  return { _tag: "leaf", schema: merged }
}

/** A lower and an upper limit on a count (a length, a number of items): what widening each means. */
const countLimits = (
  report: Report,
  o: View,
  n: View,
  steps: ReadonlyArray<Step>,
  [minKey, maxKey]: readonly [string, string],
  [minRule, maxRule]: readonly [string, string]
) => {
  const [oMin, nMin] = [numberOf(o.keywords[minKey]) ?? 0, numberOf(n.keywords[minKey]) ?? 0]
  if (oMin !== nMin) {
    const widened = nMin < oMin
    report({
      rule: `${minRule}-${widened ? "widened" : "narrowed"}` as RuleId,
      severity: widened ? "breaking" : "narrowing",
      steps,
      description: `${minKey} ${oMin} → ${nMin}`,
      bias: widened ? leafWith(n.keywords, { [maxKey]: oMin - 1 }) : { _tag: "reach" }
    })
  }
  const [oMax, nMax] = [numberOf(o.keywords[maxKey]), numberOf(n.keywords[maxKey])]
  if (oMax !== nMax) {
    const widened = oMax !== undefined && (nMax === undefined || nMax > oMax)
    report({
      rule: `${maxRule}-${widened ? "widened" : "narrowed"}` as RuleId,
      severity: widened ? "breaking" : "narrowing",
      steps,
      description: `${maxKey} ${show(oMax)} → ${show(nMax)}`,
      bias: widened && oMax !== undefined ? leafWith(n.keywords, { [minKey]: oMax + 1 }) : { _tag: "reach" }
    })
  }
}

/** format and pattern: removed widens, added narrows, changed is a change (a pattern's judged by search). */
const stringShapes = (report: Report, o: View, n: View, steps: ReadonlyArray<Step>) => {
  for (const keyword of ["format", "pattern"] as const) {
    const [before, after] = [o.keywords[keyword], n.keywords[keyword]]
    if (before === after) continue
    const show = (value: Json | undefined) => (value === undefined ? "none" : JSON.stringify(value))
    const description = `${keyword} ${show(before)} → ${show(after)}`
    const bias: Bias = { _tag: "leaf", schema: n.keywords }
    if (after === undefined) report({ rule: `${keyword}-widened`, severity: "breaking", steps, description, bias })
    else if (before === undefined) {
      report({ rule: `${keyword}-narrowed`, severity: "narrowing", steps, description, bias: { _tag: "reach" } })
    } else if (keyword === "format") report({ rule: "format-changed", severity: "breaking", steps, description, bias })
    else report({ rule: "pattern-changed", severity: "search", steps, description, bias })
  }
}

export const strings = (report: Report, o: View, n: View, steps: ReadonlyArray<Step>) => {
  stringShapes(report, o, n, steps)
  countLimits(report, o, n, steps, ["minLength", "maxLength"], ["min-length", "max-length"])
}

export const arrays = (report: Report, recurse: Recurse, o: View, n: View, steps: ReadonlyArray<Step>) => {
  countLimits(report, o, n, steps, ["minItems", "maxItems"], ["min-items", "max-items"])
  recurse(
    { schema: o.keywords.items ?? true, pointer: `${o.pointer}/items` },
    { schema: n.keywords.items ?? true, pointer: `${n.pointer}/items` },
    [...steps, { _tag: "items" }]
  )
}

/** A lower (or upper) bound, inclusive or exclusive. */
const bound = (keywords: JsonObject, side: "minimum" | "maximum") => {
  const inclusive = numberOf(keywords[side])
  const exclusive = numberOf(keywords[side === "minimum" ? "exclusiveMinimum" : "exclusiveMaximum"])
  if (
    exclusive !== undefined &&
    (inclusive === undefined || (side === "minimum" ? exclusive >= inclusive : exclusive <= inclusive))
  ) {
    return { value: exclusive, exclusive: true }
  }
  return inclusive === undefined ? undefined : { value: inclusive, exclusive: false }
}

type Bound = ReturnType<typeof bound>

const showBound = (b: Bound, side: "minimum" | "maximum") =>
  b === undefined ? "none" : `${side === "minimum" ? (b.exclusive ? ">" : "≥") : b.exclusive ? "<" : "≤"} ${b.value}`

/** Whether NEW's bound lets through a value OLD's does not (`undefined`: no bound). */
const looser = (o: Bound, n: Bound, side: "minimum" | "maximum"): boolean => {
  if (o === undefined) return false
  if (n === undefined) return true
  const further = side === "minimum" ? n.value < o.value : n.value > o.value
  return further || (n.value === o.value && o.exclusive && !n.exclusive)
}

export const numbers = (report: Report, o: View, n: View, steps: ReadonlyArray<Step>) => {
  for (const side of ["minimum", "maximum"] as const) {
    const [ob, nb] = [bound(o.keywords, side), bound(n.keywords, side)]
    if (ob?.value === nb?.value && ob?.exclusive === nb?.exclusive) continue
    const widened = looser(ob, nb, side)
    // Outside OLD's bound: below its minimum (above its maximum), on it when OLD excluded it.
    const outside =
      ob === undefined
        ? {}
        : side === "minimum"
          ? ob.exclusive
            ? { maximum: ob.value }
            : { exclusiveMaximum: ob.value }
          : ob.exclusive
            ? { minimum: ob.value }
            : { exclusiveMinimum: ob.value }
    report({
      rule: `${side}-${widened ? "widened" : "narrowed"}`,
      severity: widened ? "breaking" : "narrowing",
      steps,
      description: `${side} ${showBound(ob, side)} → ${showBound(nb, side)}`,
      bias: widened ? leafWith(n.keywords, outside) : { _tag: "reach" }
    })
  }
}

const requiredOf = (view: View): ReadonlySet<string> =>
  new Set(Array.isArray(view.keywords.required) ? view.keywords.required.filter((r) => typeof r === "string") : [])

/** `additionalProperties` as a schema: absent is `true`. */
const additionalOf = (view: View): Json => view.keywords.additionalProperties ?? true

const acceptsAnything = (schema: Json | undefined): boolean =>
  schema === undefined || schema === true || (isObject(schema) && Object.keys(schema).length === 0)

/** A property NEW names and OLD does not. */
const added = (report: Report, recurse: Recurse, o: View, n: View, name: string, steps: ReadonlyArray<Step>) => {
  const at: ReadonlyArray<Step> = [...steps, { _tag: "property", name }]
  const required = requiredOf(n).has(name)
  const rule = required ? "property-added-required" : "property-added-optional"
  const what = `${required ? "required" : "optional"} property ${JSON.stringify(name)} added`
  const oldAdditional = additionalOf(o)
  if (oldAdditional === false) {
    const description = `${what}: OLD forbids properties it does not name`
    report({ rule, severity: "breaking", steps: at, description, bias: { _tag: "reach" }, errorAt: steps })
    return
  }
  report({ rule, severity: "safe", steps: at, description: `${what}: OLD readers ignore it`, bias: { _tag: "reach" } })
  const property = propertiesOf(n)[name]
  if (!acceptsAnything(oldAdditional) && property !== undefined) {
    recurse(
      { schema: oldAdditional, pointer: `${o.pointer}/additionalProperties` },
      { schema: property, pointer: `${n.pointer}/properties/${name}` },
      at
    )
  }
}

/** A property OLD names and NEW does not. */
const removed = (report: Report, recurse: Recurse, o: View, n: View, name: string, steps: ReadonlyArray<Step>) => {
  const at: ReadonlyArray<Step> = [...steps, { _tag: "property", name }]
  if (requiredOf(o).has(name)) {
    const description = `required property ${JSON.stringify(name)} removed: NEW may omit it`
    report({
      rule: "property-removed-required",
      severity: "breaking",
      steps: at,
      description,
      bias: { _tag: "omit", name },
      errorAt: steps
    })
    return
  }
  const rule = "property-removed-optional"
  const what = `optional property ${JSON.stringify(name)} removed`
  const newAdditional = additionalOf(n)
  const property = propertiesOf(o)[name]
  if (newAdditional === false) {
    report({
      rule,
      severity: "narrowing",
      steps: at,
      description: `${what}: NEW never sends it`,
      bias: { _tag: "reach" }
    })
  } else if (acceptsAnything(property)) {
    report({
      rule,
      severity: "safe",
      steps: at,
      description: `${what}: OLD accepted any value`,
      bias: { _tag: "reach" }
    })
  } else if (newAdditional === true || acceptsAnything(newAdditional)) {
    const description = `${what}: NEW allows unknown properties, so it may send it with any value`
    report({ rule, severity: "breaking", steps: at, description, bias: { _tag: "extra", name } })
  } else {
    report({
      rule,
      severity: "safe",
      steps: at,
      description: `${what}: NEW's unknown properties are judged below`,
      bias: { _tag: "reach" }
    })
    recurse(
      { schema: property ?? true, pointer: `${o.pointer}/properties/${name}` },
      { schema: newAdditional, pointer: `${n.pointer}/additionalProperties` },
      at
    )
  }
}

export const objects = (report: Report, recurse: Recurse, o: View, n: View, steps: ReadonlyArray<Step>) => {
  const [oProps, nProps, oReq, nReq] = [propertiesOf(o), propertiesOf(n), requiredOf(o), requiredOf(n)]
  const names = new Set([...Object.keys(oProps), ...Object.keys(nProps), ...oReq, ...nReq])
  for (const name of names) {
    const [inOld, inNew] = [name in oProps || oReq.has(name), name in nProps || nReq.has(name)]
    if (!inOld) added(report, recurse, o, n, name, steps)
    else if (!inNew) removed(report, recurse, o, n, name, steps)
    else {
      const at: ReadonlyArray<Step> = [...steps, { _tag: "property", name }]
      const quoted = JSON.stringify(name)
      if (oReq.has(name) && !nReq.has(name)) {
        const description = `property ${quoted} is now optional: NEW may omit it`
        report({
          rule: "required-to-optional",
          severity: "breaking",
          steps: at,
          description,
          bias: { _tag: "omit", name },
          errorAt: steps
        })
      } else if (!oReq.has(name) && nReq.has(name)) {
        const description = `property ${quoted} is now required`
        report({ rule: "optional-to-required", severity: "narrowing", steps: at, description, bias: { _tag: "reach" } })
      }
      recurse(
        { schema: oProps[name] ?? true, pointer: `${o.pointer}/properties/${name}` },
        { schema: nProps[name] ?? true, pointer: `${n.pointer}/properties/${name}` },
        at
      )
    }
  }
  const [oAdd, nAdd] = [additionalOf(o), additionalOf(n)]
  if (oAdd === false && nAdd !== false) {
    report({
      rule: "additional-properties-allowed",
      severity: "breaking",
      steps,
      description: "NEW allows properties it does not name; OLD forbids them",
      bias: { _tag: "extra", name: undefined }
    })
  } else if (oAdd !== false && nAdd === false) {
    const description = "NEW forbids properties it does not name"
    report({
      rule: "additional-properties-forbidden",
      severity: "narrowing",
      steps,
      description,
      bias: { _tag: "reach" }
    })
  } else if (oAdd !== false && nAdd !== false) {
    recurse(
      { schema: oAdd, pointer: `${o.pointer}/additionalProperties` },
      { schema: nAdd, pointer: `${n.pointer}/additionalProperties` },
      [...steps, { _tag: "additional", name: "*" }]
    )
  }
}
