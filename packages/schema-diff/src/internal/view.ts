/**
 * A schema node as the diff and the generator read it: `$ref`s followed,
 * nullability pulled out of its three spellings (`type: [T, "null"]`, an
 * `anyOf`/`oneOf` branch `{ type: "null" }`, `null` in an `enum`), the JSON
 * types it admits, its enum values and, for a union, its non-null branches
 * and the property whose literal tells them apart (the discriminator).
 *
 * @internal
 */
import type { Contract } from "./document.js"
import { isObject, type Json, type JsonObject, pointerTo } from "./json.js"

/** The JSON types a schema names (`null` is nullability, apart). */
export type JsonType = "string" | "number" | "integer" | "boolean" | "object" | "array"

const allTypes: ReadonlyArray<JsonType> = ["string", "number", "integer", "boolean", "object", "array"]

/** A schema and where it is in its document (the pointer as the document was written). */
export interface Located {
  readonly schema: Json
  readonly pointer: string
}

/** A node read: see the module's description. */
export interface View extends Located {
  /** The node's keywords (`{}` for `true`). */
  readonly keywords: JsonObject
  readonly nullable: boolean
  /** `undefined`: any type. */
  readonly types: ReadonlySet<JsonType> | undefined
  /** Non-null enum values, when the node has an enum (or a const). */
  readonly values: ReadonlyArray<Json> | undefined
  /** A union's non-null branches (two or more), with the property that tells them apart if one does. */
  readonly union: { readonly branches: ReadonlyArray<View>; readonly discriminator: string | undefined } | undefined
  /** Rejects everything (`false`). */
  readonly never: boolean
}

/** Keywords that describe and never decide what is valid. */
export const annotations = new Set([
  "title",
  "description",
  "examples",
  "example",
  "default",
  "$comment",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$schema",
  "$id",
  "$anchor",
  "externalDocs",
  "xml",
  "discriminator",
  "contentMediaType",
  "contentEncoding"
])

export const isAnnotation = (keyword: string): boolean => annotations.has(keyword) || keyword.startsWith("x-")

/** Follows `$ref`s (to `#/$defs/<name>`, as documents are read) to the schema they name. */
export const resolve = (contract: Contract, located: Located, depth = 0): Located => {
  const { schema } = located
  if (!isObject(schema) || typeof schema.$ref !== "string" || depth > 32) return located
  const name = schema.$ref.slice("#/$defs/".length)
  const target = contract.defs[name]
  const siblings = Object.keys(schema).filter((key) => key !== "$ref" && !isAnnotation(key))
  if (target === undefined) return located
  const pointer = contract.origin[name] ?? schema.$ref
  // A $ref beside other constraints is both (2020-12): kept as an allOf the diff judges as a whole.
  if (siblings.length > 0) return located
  return resolve(contract, { schema: target, pointer }, depth + 1)
}

const isNullSchema = (schema: Json): boolean =>
  isObject(schema) &&
  (schema.type === "null" ||
    (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null) ||
    ("const" in schema && schema.const === null))

const typeOfValue = (value: Json): JsonType =>
  Array.isArray(value)
    ? "array"
    : typeof value === "number"
      ? Number.isInteger(value)
        ? "integer"
        : "number"
      : typeof value === "object"
        ? "object"
        : (typeof value as JsonType)

/** The single literal a schema allows (`const`, or an enum of one), if it allows exactly one. */
export const literalOf = (view: View): { readonly value: Json } | undefined =>
  view.values !== undefined && view.values.length === 1 && !view.nullable ? { value: view.values[0]! } : undefined

/** The property whose literal tells every branch apart, if there is one (OpenAPI's discriminator first). */
const discriminatorOf = (contract: Contract, node: JsonObject, branches: ReadonlyArray<View>): string | undefined => {
  const declared = isObject(node.discriminator) ? node.discriminator.propertyName : undefined
  const candidates = new Set(typeof declared === "string" ? [declared] : [])
  for (const name of ["type", "status", ...Object.keys(propertiesOf(branches[0]))]) candidates.add(name)
  return [...candidates].find((name) => {
    const literals = branches.map((branch) => {
      const property = propertiesOf(branch)[name]
      const required = Array.isArray(branch.keywords.required) && branch.keywords.required.includes(name)
      return property === undefined || !required
        ? undefined
        : literalOf(view(contract, { schema: property, pointer: "" }))
    })
    return (
      literals.every((l) => l !== undefined) &&
      new Set(literals.map((l) => JSON.stringify(l!.value))).size === literals.length
    )
  })
}

/** A view's `properties`. */
export const propertiesOf = (view: View | undefined): JsonObject =>
  view !== undefined && isObject(view.keywords.properties) ? view.keywords.properties : {}

/** The literal of a union branch's discriminator. */
export const branchLiteral = (contract: Contract, branch: View, discriminator: string): Json | undefined => {
  const property = propertiesOf(branch)[discriminator]
  return property === undefined ? undefined : literalOf(view(contract, { schema: property, pointer: "" }))?.value
}

const typeSet = (keywords: JsonObject): { types: Set<JsonType> | undefined; nullable: boolean } => {
  const type = keywords.type
  if (type === undefined) return { types: undefined, nullable: true }
  const names = (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === "string")
  return {
    types: new Set(names.filter((t): t is JsonType => allTypes.includes(t as JsonType))),
    nullable: names.includes("null")
  }
}

/** Views already read, per contract and schema object (the diff, the generator and the search read nodes often). */
const memo = new WeakMap<Contract, WeakMap<object, Map<string, View>>>()

/** Reads a node: see {@link View}. */
export const view = (contract: Contract, at: Located): View => {
  if (typeof at.schema !== "object" || at.schema === null) return read(contract, at)
  const byContract = memo.get(contract) ?? new WeakMap<object, Map<string, View>>()
  memo.set(contract, byContract)
  const byPointer = byContract.get(at.schema) ?? new Map<string, View>()
  byContract.set(at.schema, byPointer)
  const known = byPointer.get(at.pointer)
  if (known !== undefined) return known
  const made = read(contract, at)
  byPointer.set(at.pointer, made)
  return made
}

const read = (contract: Contract, at: Located): View => {
  const located = resolve(contract, at)
  const { schema, pointer } = located
  if (schema === false) {
    return {
      ...located,
      keywords: {},
      nullable: false,
      types: new Set(),
      values: undefined,
      union: undefined,
      never: true
    }
  }
  const keywords = isObject(schema) ? schema : {}
  const unionKey = Array.isArray(keywords.anyOf) ? "anyOf" : Array.isArray(keywords.oneOf) ? "oneOf" : undefined
  if (unionKey !== undefined) {
    const raw = keywords[unionKey] as ReadonlyArray<Json>
    const nullBranch = raw.some(isNullSchema)
    const branches = raw
      .map((branch, i) => ({ branch, i }))
      .filter(({ branch }) => !isNullSchema(branch))
      .map(({ branch, i }) => view(contract, { schema: branch, pointer: pointerTo(pointer, unionKey, String(i)) }))
    if (branches.length === 1) return { ...branches[0]!, nullable: branches[0]!.nullable || nullBranch }
    const types = branches.some((b) => b.types === undefined)
      ? undefined
      : new Set(branches.flatMap((b) => [...(b.types ?? [])]))
    const nullable = nullBranch || branches.some((b) => b.nullable)
    const discriminator = discriminatorOf(contract, keywords, branches)
    return {
      ...located,
      keywords,
      nullable,
      types,
      values: undefined,
      union: { branches, discriminator },
      never: false
    }
  }
  const declared = typeSet(keywords)
  const rawValues = Array.isArray(keywords.enum)
    ? keywords.enum
    : "const" in keywords
      ? [keywords.const as Json]
      : undefined
  const values = rawValues?.filter((value) => value !== null)
  const valueNullable = rawValues === undefined ? true : rawValues.includes(null)
  const types = declared.types ?? (values === undefined ? undefined : new Set(values.map(typeOfValue)))
  const nullable =
    rawValues === undefined
      ? declared.nullable || keywords.type === undefined
      : valueNullable && (declared.nullable || keywords.type === undefined)
  return { ...located, keywords, nullable, types, values, union: undefined, never: false }
}

/** Whether a value of type `type` may be valid under `types` (`integer` is a `number`). */
export const admits = (types: ReadonlySet<JsonType> | undefined, type: JsonType): boolean =>
  types === undefined || types.has(type) || (type === "integer" && types.has("number"))
