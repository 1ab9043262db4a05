/**
 * A fast-check arbitrary from a JSON Schema (the subset our documents use:
 * objects with properties, required and additionalProperties; anyOf/oneOf;
 * enum/const; type arrays with null; strings with format, pattern and
 * lengths; numbers with ranges; arrays with items and lengths; `$ref`),
 * optionally aimed at one place: it follows a path of steps (the variant,
 * the property, the items, an unknown property) and applies a bias there
 * (another schema for the value, a property left out, an unknown property
 * added).
 *
 * It generates what the schema most likely accepts, never filters (a filter
 * can spin forever): whoever uses it checks each value with the document's
 * own validator, and fast-check shrinks a counterexample within the same
 * space.
 *
 * @internal
 */
import * as fc from "fast-check"
import type { Contract } from "./document.js"
import type { Bias } from "./found.js"
import { equal, type Json, type JsonObject, numberOf, type Step } from "./json.js"
import { branchLiteral, type JsonType, type Located, propertiesOf, type View, view } from "./view.js"

/** Where to aim: the steps still to take, and the bias at their end. */
export interface Focus {
  readonly steps: ReadonlyArray<Step>
  readonly bias: Bias
}

type Arb = fc.Arbitrary<Json>

const anything: Arb = fc.jsonValue({ maxDepth: 2 }) as Arb

/** Beyond this depth optional properties, items and unknown properties stay out (recursive schemas end). */
const MAX_DEPTH = 12

const dateTime: Arb = fc
  .tuple(
    fc.date({
      min: new Date("1970-01-01T00:00:00.000Z"),
      max: new Date("2100-01-01T00:00:00.000Z"),
      noInvalidDate: true
    }),
    fc.nat(3)
  )
  .map(([date, form]) => {
    const iso = date.toISOString()
    // Mostly the canonical form; sometimes the other forms RFC 3339 allows (no fraction, an offset, lower case).
    return [iso, iso, iso, `${iso.slice(0, 19)}Z`, `${iso.slice(0, 19)}+01:00`, iso.toLowerCase()][form % 6] ?? iso
  })

const formats: Readonly<Record<string, Arb>> = {
  "date-time": dateTime,
  date: dateTime.map((text) => (text as string).slice(0, 10)),
  time: dateTime.map((text) => (text as string).slice(11)),
  email: fc.emailAddress(),
  uri: fc.webUrl(),
  url: fc.webUrl(),
  uuid: fc.uuid(),
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
  hostname: fc.domain()
}

const patternArb = (pattern: string): Arb | undefined => {
  try {
    return fc.stringMatching(new RegExp(pattern, "u"))
  } catch {
    return undefined
  }
}

const strings = (keywords: JsonObject): Arb => {
  const minLength = numberOf(keywords.minLength) ?? 0
  const maxLength = Math.max(minLength, numberOf(keywords.maxLength) ?? minLength + 12)
  const format = typeof keywords.format === "string" ? formats[keywords.format] : undefined
  const pattern = typeof keywords.pattern === "string" ? patternArb(keywords.pattern) : undefined
  const shaped = [format, pattern].filter((arb): arb is Arb => arb !== undefined)
  return shaped.length > 0 ? fc.oneof(...shaped) : fc.string({ minLength, maxLength })
}

const numbers = (keywords: JsonObject, integer: boolean): Arb => {
  const [min, max] = [numberOf(keywords.minimum), numberOf(keywords.maximum)]
  const [xmin, xmax] = [numberOf(keywords.exclusiveMinimum), numberOf(keywords.exclusiveMaximum)]
  const multipleOf = numberOf(keywords.multipleOf)
  if (multipleOf !== undefined) return fc.integer({ min: -1000, max: 1000 }).map((i) => i * multipleOf)
  const lower = Math.max(min ?? -1e9, xmin === undefined ? -Infinity : integer ? Math.floor(xmin) + 1 : xmin)
  const upper = Math.min(max ?? 1e9, xmax === undefined ? Infinity : integer ? Math.ceil(xmax) - 1 : xmax)
  const ints = fc.integer({
    min: Math.ceil(Math.max(lower, -(2 ** 31))),
    max: Math.floor(Math.min(upper, 2 ** 31 - 1))
  })
  if (Math.ceil(lower) > Math.floor(upper)) return integer ? fc.constant(Math.ceil(lower)) : fc.constant(lower)
  if (integer) return ints
  const doubles = fc.double({
    min: lower,
    max: upper,
    minExcluded: xmin !== undefined && lower === xmin,
    maxExcluded: xmax !== undefined && upper === xmax,
    noNaN: true,
    noDefaultInfinity: true
  })
  return fc.oneof(ints, doubles)
}

/** The types to generate for a node without `type`: what its keywords are about, or any JSON. */
const inferred = (keywords: JsonObject): ReadonlyArray<JsonType> | undefined => {
  if ("properties" in keywords || "required" in keywords || "additionalProperties" in keywords) return ["object"]
  if ("items" in keywords || "minItems" in keywords) return ["array"]
  if (["pattern", "format", "minLength", "maxLength"].some((k) => k in keywords)) return ["string"]
  if (["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"].some((k) => k in keywords)) return ["number"]
  return undefined
}

interface Build {
  readonly contract: Contract
  readonly depth: number
}

const deeper = (build: Build): Build => ({ ...build, depth: build.depth + 1 })

/** The focus one step further, if the next step is `step`. */
const follow = (focus: Focus | undefined, matches: (step: Step) => boolean): Focus | undefined => {
  const next = focus?.steps[0]
  return focus !== undefined && next !== undefined && matches(next)
    ? { ...focus, steps: focus.steps.slice(1) }
    : undefined
}

/** The bias that applies at this very node, when the focus ends here. */
const here = (focus: Focus | undefined): Bias | undefined =>
  focus !== undefined && focus.steps.length === 0 ? focus.bias : undefined

const objects = (build: Build, node: View, focus: Focus | undefined): Arb => {
  const properties = propertiesOf(node)
  const required = new Set(Array.isArray(node.keywords.required) ? node.keywords.required : [])
  const bias = here(focus)
  const omit = bias?._tag === "omit" ? bias.name : undefined
  const shallow = build.depth > MAX_DEPTH
  const model: Record<string, Arb> = {}
  const requiredKeys: Array<string> = []
  for (const [name, schema] of Object.entries(properties)) {
    if (name === omit) continue
    const inner = follow(focus, (step) => step._tag === "property" && step.name === name)
    if (shallow && !required.has(name) && inner === undefined) continue
    model[name] = arbitrary(deeper(build), { schema, pointer: "" }, inner)
    if (required.has(name) || inner !== undefined) requiredKeys.push(name)
  }
  for (const name of required) {
    if (typeof name === "string" && !(name in model) && name !== omit) {
      model[name] = anything
      requiredKeys.push(name)
    }
  }
  const additional = node.keywords.additionalProperties ?? true
  const unknownName = fc.string({ minLength: 1, maxLength: 8 }).map((name) => (name in properties ? `${name}_` : name))
  const unknownValue =
    additional === true ? anything : arbitrary(deeper(build), { schema: additional, pointer: "" }, undefined)
  const viaAdditional = follow(focus, (step) => step._tag === "additional")
  const extras: fc.Arbitrary<Record<string, Json>> =
    bias?._tag === "extra" && bias.name !== undefined
      ? fc.record({ [bias.name]: anything })
      : bias?._tag === "extra"
        ? fc.dictionary(unknownName, anything, { minKeys: 1, maxKeys: 2 })
        : viaAdditional !== undefined && additional !== false
          ? unknownName.chain((name) =>
              fc.record({ [name]: arbitrary(deeper(build), { schema: additional, pointer: "" }, viaAdditional) })
            )
          : additional === false || shallow
            ? fc.constant({})
            : fc.dictionary(unknownName, unknownValue, { maxKeys: 2 })
  return fc
    .tuple(fc.record(model, { requiredKeys }), extras)
    .map(([declared, unknown]) => ({ ...unknown, ...declared }) as Json)
}

const arrays = (build: Build, node: View, focus: Focus | undefined): Arb => {
  const inner = follow(focus, (step) => step._tag === "items")
  const minItems = Math.max(numberOf(node.keywords.minItems) ?? 0, inner === undefined ? 0 : 1)
  const shallow = build.depth > MAX_DEPTH && inner === undefined
  const maxItems = Math.max(
    minItems,
    Math.min(numberOf(node.keywords.maxItems) ?? minItems + 3, shallow ? minItems : minItems + 3)
  )
  const items = arbitrary(deeper(build), { schema: node.keywords.items ?? true, pointer: "" }, inner)
  return fc.array(items, { minLength: minItems, maxLength: maxItems }) as Arb
}

const ofType = (build: Build, node: View, type: JsonType, focus: Focus | undefined): Arb => {
  switch (type) {
    case "string":
      return strings(node.keywords)
    case "number":
    case "integer":
      return numbers(node.keywords, type === "integer")
    case "boolean":
      return fc.boolean()
    case "object":
      return objects(build, node, focus)
    case "array":
      return arrays(build, node, focus)
  }
}

const unions = (build: Build, node: View, union: NonNullable<View["union"]>, focus: Focus | undefined): Arb => {
  const next = focus?.steps[0]
  // The variant by its literal, even where two branches share it (then the first): the aim must not be lost.
  if (next?._tag === "variant") {
    const branch = union.branches.find((b) => equal(branchLiteral(build.contract, b, next.property), next.value))
    if (branch !== undefined) return arbitrary(build, branch, { ...focus!, steps: focus!.steps.slice(1) })
  }
  const branches = union.branches.map((branch) => arbitrary(build, branch, undefined))
  return fc.oneof(...(node.nullable ? [...branches, fc.constant(null)] : branches))
}

/** A value the schema at `located` most likely accepts (aimed by `focus`). */
export const arbitrary = (build: Build, located: Located | View, focus: Focus | undefined): Arb => {
  const bias = here(focus)
  if (bias?._tag === "leaf") return arbitrary(build, { schema: bias.schema, pointer: "" }, undefined)
  const node = "keywords" in located ? located : view(build.contract, located)
  if (node.never) return fc.constant(null)
  if (node.union !== undefined) return unions(build, node, node.union, focus)
  // A variant step at a node that is no union (one side had a single variant): the node is that variant.
  if (focus?.steps[0]?._tag === "variant") return arbitrary(build, node, { ...focus, steps: focus.steps.slice(1) })
  const going = focus !== undefined && focus.steps.length > 0
  const nullable = node.nullable && !going ? [fc.constant(null)] : []
  if (node.values !== undefined)
    return fc.oneof(fc.constantFrom(...(node.values.length > 0 ? node.values : [null])), ...nullable)
  const next = focus?.steps[0]
  const needed: JsonType | undefined = next === undefined ? undefined : next._tag === "items" ? "array" : "object"
  const types = needed !== undefined ? [needed] : node.types !== undefined ? [...node.types] : inferred(node.keywords)
  if (types === undefined) return fc.oneof(anything, ...nullable)
  const chosen = types.includes("number") ? types.filter((t) => t !== "integer") : types
  const arbs = chosen.map((type) => ofType(build, node, type, focus))
  return arbs.length + nullable.length === 0 ? fc.constant(null) : fc.oneof(...arbs, ...nullable)
}

/** The arbitrary of a whole contract subject. */
export const subjectArbitrary = (contract: Contract, schema: Json, focus: Focus | undefined): Arb =>
  arbitrary({ contract, depth: 0 }, { schema, pointer: "" }, focus)
