/**
 * Test helper: enumerate the fields of a concrete account alongside its
 * schema's AST, and break exactly one of them (wrong type, missing required
 * key, bad enum value, bad datetime, empty UniqueId).
 */
import * as AST from "effect/SchemaAST"

export interface Field {
  readonly path: ReadonlyArray<string | number>
  readonly ast: AST.AST
  readonly required: boolean
}

export type MutationKind = "wrong-type" | "missing-key" | "bad-enum" | "bad-datetime" | "empty-unique-id"

export interface Mutation {
  readonly kind: MutationKind
  readonly path: ReadonlyArray<string | number>
  readonly value: unknown
}

const identifier = (ast: AST.AST): string | undefined =>
  AST.getIdentifierAnnotation(ast).pipe((o) => (o._tag === "Some" ? o.value : undefined))

/** All fields present in `value` (and required ones), depth first, for a struct schema. */
export const fieldsOf = (ast: AST.AST, value: unknown, path: ReadonlyArray<string | number> = []): Array<Field> => {
  const out: Array<Field> = []
  const node = ast._tag === "Refinement" && identifier(ast) === undefined ? ast.from : ast
  if (node._tag === "TypeLiteral" && typeof value === "object" && value !== null) {
    for (const ps of node.propertySignatures) {
      const key = ps.name as string
      const present = Object.hasOwn(value, key)
      if (!present && ps.isOptional) continue
      const child = (value as Record<string, unknown>)[key]
      out.push({ path: [...path, key], ast: ps.type, required: !ps.isOptional })
      out.push(...fieldsOf(ps.type, child, [...path, key]))
    }
  } else if (node._tag === "TupleType" && Array.isArray(value) && value.length > 0) {
    const element = node.rest[0]!.type
    out.push({ path: [...path, 0], ast: element, required: true })
    out.push(...fieldsOf(element, value[0], [...path, 0]))
  }
  return out
}

const isLiteralish = (ast: AST.AST): boolean =>
  ast._tag === "Literal" || (ast._tag === "Union" && ast.types.every((t) => t._tag === "Literal"))

/** A value of a JSON type the field does not accept. */
const wrongTypeFor = (ast: AST.AST): unknown => {
  const node = ast._tag === "Refinement" ? ast.from : ast
  switch (node._tag) {
    case "StringKeyword":
    case "Literal":
      return 12345
    case "NumberKeyword":
      return "8080"
    case "BooleanKeyword":
      return "true"
    case "TupleType":
      return { not: "an array" }
    case "TypeLiteral":
      return "not an object"
    default:
      return { unexpected: true }
  }
}

/** The mutations that apply to one field. */
export const mutationsOf = (field: Field): Array<Mutation> => {
  const out: Array<Mutation> = [{ kind: "wrong-type", path: field.path, value: wrongTypeFor(field.ast) }]
  if (field.required) out.push({ kind: "missing-key", path: field.path, value: undefined })
  if (isLiteralish(field.ast)) out.push({ kind: "bad-enum", path: field.path, value: "NOT_A_DOCUMENTED_VALUE" })
  const id = identifier(field.ast)
  if (id === "IsoDateTime") out.push({ kind: "bad-datetime", path: field.path, value: "2025-02-30T10:00:00.000Z" })
  if (id === "UniqueId") out.push({ kind: "empty-unique-id", path: field.path, value: "" })
  return out
}

/** A deep copy of `value` with the mutation applied. */
export const apply = (value: unknown, mutation: Mutation): unknown => {
  const copy = structuredClone(value) as Record<string | number, unknown>
  let parent: Record<string | number, unknown> = copy
  for (const key of mutation.path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = mutation.path[mutation.path.length - 1]!
  if (mutation.kind === "missing-key") delete parent[last]
  else parent[last] = mutation.value
  return copy
}
