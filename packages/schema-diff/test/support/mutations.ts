/**
 * Random changes to this project's own account schema, one kind per rule
 * family of the diff (variants, properties, required, nullable, enums,
 * types, formats, patterns, lengths, ranges, items, additional properties):
 * what the property test feeds the diff, to hold its verdicts against what
 * the generator can find.
 */
import fc from "fast-check"

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Doc = { $defs: Record<string, Record<string, Json>> }

/** One change, described by indexes into the document (taken modulo what is there). */
export type Mutation =
  | { readonly kind: "add-variant"; readonly from: number; readonly literal: string }
  | { readonly kind: "remove-variant"; readonly at: number }
  | { readonly kind: "add-property"; readonly def: number; readonly required: boolean; readonly type: string }
  | { readonly kind: "remove-property"; readonly def: number; readonly at: number }
  | { readonly kind: "toggle-required"; readonly def: number; readonly at: number }
  | { readonly kind: "nullable"; readonly def: number; readonly at: number; readonly anyOf: boolean }
  | { readonly kind: "enum-add"; readonly def: number; readonly value: string }
  | { readonly kind: "enum-remove"; readonly def: number; readonly at: number }
  | { readonly kind: "type"; readonly def: number; readonly at: number; readonly type: string }
  | { readonly kind: "drop"; readonly keyword: "format" | "pattern" }
  | { readonly kind: "length"; readonly keyword: "minLength" | "maxLength"; readonly value: number }
  | { readonly kind: "range"; readonly keyword: "minimum" | "maximum" | "exclusiveMinimum"; readonly value: number }
  | { readonly kind: "items"; readonly keyword: "minItems" | "maxItems"; readonly def: number; readonly value: number }
  | { readonly kind: "additional"; readonly def: number; readonly allowed: boolean }

const nat = fc.nat(40)
const types = fc.constantFrom("string", "number", "integer", "boolean")

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("add-variant"),
    from: nat,
    literal: fc.constantFrom("LINKEDIN_V2", "linkedin", "FAX")
  }),
  fc.record({ kind: fc.constant("remove-variant"), at: nat }),
  fc.record({ kind: fc.constant("add-property"), def: nat, required: fc.boolean(), type: types }),
  fc.record({ kind: fc.constant("remove-property"), def: nat, at: nat }),
  fc.record({ kind: fc.constant("toggle-required"), def: nat, at: nat }),
  fc.record({ kind: fc.constant("nullable"), def: nat, at: nat, anyOf: fc.boolean() }),
  fc.record({ kind: fc.constant("enum-add"), def: nat, value: fc.constantFrom("PAUSED", "none", "socks4") }),
  fc.record({ kind: fc.constant("enum-remove"), def: nat, at: nat }),
  fc.record({ kind: fc.constant("type"), def: nat, at: nat, type: types }),
  fc.record({ kind: fc.constant("drop"), keyword: fc.constantFrom("format" as const, "pattern" as const) }),
  fc.record({
    kind: fc.constant("length"),
    keyword: fc.constantFrom("minLength" as const, "maxLength" as const),
    value: fc.nat(4)
  }),
  fc.record({
    kind: fc.constant("range"),
    keyword: fc.constantFrom("minimum" as const, "maximum" as const, "exclusiveMinimum" as const),
    value: fc.integer({ min: -1, max: 70000 })
  }),
  fc.record({
    kind: fc.constant("items"),
    keyword: fc.constantFrom("minItems" as const, "maxItems" as const),
    def: nat,
    value: fc.nat(2)
  }),
  fc.record({ kind: fc.constant("additional"), def: nat, allowed: fc.boolean() })
) as fc.Arbitrary<Mutation>

const pick = <A>(items: ReadonlyArray<A>, at: number): A | undefined => items[at % Math.max(1, items.length)]

const isObject = (value: Json | undefined): value is { [key: string]: Json } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The object schemas of the document (defs and nested objects), and its enum defs, in a stable order. */
const objectsOf = (doc: Doc): Array<{ [key: string]: Json }> => {
  const out: Array<{ [key: string]: Json }> = []
  const walk = (node: Json) => {
    if (!isObject(node)) return
    if (node.type === "object" && isObject(node.properties)) out.push(node)
    for (const child of Object.values(node)) if (typeof child === "object") walk(child)
  }
  for (const def of Object.values(doc.$defs)) walk(def)
  return out
}

/** Properties a mutation may touch: never a discriminator (`type`, `object`). */
const touchable = (object: { [key: string]: Json }): Array<string> =>
  Object.keys(object.properties as object).filter((name) => name !== "type" && name !== "object")

/** Whether setting `keyword` to `value` keeps the lower bound at most the upper one. */
const satisfiable = (node: { [key: string]: Json }, keyword: string, value: number, lower: string, upper: string) => {
  const bounds: { [key: string]: Json } = { ...node, [keyword]: value }
  const [min, max] = [bounds[lower], bounds[upper]]
  return typeof min !== "number" || typeof max !== "number" || min <= max
}

/** The bound mutations: a length of ids, a range of numbers, a length of arrays. */
const applyBounds = (
  defs: Doc["$defs"],
  objects: ReadonlyArray<{ [key: string]: Json }>,
  m: Extract<Mutation, { kind: "length" | "range" | "items" }>
): void => {
  switch (m.kind) {
    // Bounds stay satisfiable (a minimum above a maximum leaves NEW nothing to send: no counterexample can exist).
    case "length":
      if (satisfiable(defs.UniqueId!, m.keyword, m.value, "minLength", "maxLength")) defs.UniqueId![m.keyword] = m.value
      return
    case "range": {
      const keyword = m.keyword === "exclusiveMinimum" ? "minimum" : m.keyword
      if (
        satisfiable(
          defs.JsonNumber!,
          keyword,
          m.value + (m.keyword === "exclusiveMinimum" ? 1 : 0),
          "minimum",
          "maximum"
        )
      ) {
        defs.JsonNumber![m.keyword] = m.value
      }
      return
    }
    case "items": {
      const arrays = objects.flatMap((o) =>
        Object.values(o.properties as object).filter(
          (p): p is { [key: string]: Json } => isObject(p) && p.type === "array"
        )
      )
      const array = pick(arrays, m.def)
      if (array !== undefined && satisfiable(array, m.keyword, m.value, "minItems", "maxItems"))
        array[m.keyword] = m.value
      return
    }
  }
}

/** Applies a mutation to a copy of the document. */
export const apply = (original: Doc, m: Mutation): Doc => {
  const doc = structuredClone(original)
  const defs = doc.$defs
  const union = defs.Account!.anyOf as Array<{ $ref: string }>
  const objects = objectsOf(doc)
  const object = "def" in m ? pick(objects, m.def) : undefined
  const property = object !== undefined && "at" in m ? pick(touchable(object), m.at) : undefined
  const properties = object?.properties as { [key: string]: Json } | undefined
  const required = object?.required as Array<string> | undefined
  const enums = Object.entries(defs).filter(([name, def]) => Array.isArray(def.enum) && name !== "Account")
  switch (m.kind) {
    case "add-variant": {
      const source = pick(union, m.from)!.$ref.split("/").pop()!
      const copy = structuredClone(defs[source]!) as { properties: { type: { enum: Array<string> } } }
      copy.properties.type.enum = [m.literal]
      defs[`${m.literal}Account`] = copy as unknown as Record<string, Json>
      union.push({ $ref: `#/$defs/${m.literal}Account` })
      break
    }
    case "remove-variant":
      if (union.length > 2) union.splice(m.at % union.length, 1)
      break
    case "add-property":
      if (properties === undefined) break
      properties.added = { type: m.type }
      if (m.required) required?.push("added")
      break
    case "remove-property":
      if (property === undefined || properties === undefined) break
      delete properties[property]
      if (required?.includes(property)) required.splice(required.indexOf(property), 1)
      break
    case "toggle-required":
      if (property === undefined || required === undefined) break
      if (required.includes(property)) required.splice(required.indexOf(property), 1)
      else required.push(property)
      break
    case "nullable":
      if (property === undefined || properties === undefined) break
      properties[property] = m.anyOf
        ? { anyOf: [properties[property]!, { type: "null" }] }
        : { type: ["string", "null"] }
      break
    case "enum-add":
      pick(enums, m.def)?.[1].enum && (pick(enums, m.def)![1].enum as Array<Json>).push(m.value)
      break
    case "enum-remove": {
      const values = pick(enums, m.def)?.[1].enum as Array<Json> | undefined
      if (values !== undefined && values.length > 1) values.splice(m.at % values.length, 1)
      break
    }
    case "type":
      if (property !== undefined && properties !== undefined) properties[property] = { type: m.type }
      break
    case "drop":
      delete defs.IsoDateTime![m.keyword]
      break
    case "length":
    case "range":
    case "items":
      applyBounds(defs, objects, m)
      break
    case "additional":
      if (object !== undefined) object.additionalProperties = m.allowed
      break
  }
  return doc
}
