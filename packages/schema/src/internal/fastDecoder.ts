/**
 * A fast path for conformant input, compiled from a schema's AST.
 *
 * Effect's interpreter decodes generically; ajv wins by generating code for
 * one schema. This does the same for the subset of AST nodes our schemas use
 * (structs, discriminated and plain unions, arrays, literals, primitives,
 * refinements): it emits one JavaScript function per node that returns the
 * decoded value — a copy holding only the declared keys, as Effect's default
 * decode does — or the {@link FAIL} sentinel. It never explains a failure:
 * callers fall back to the full Effect decode for that. Equivalence with
 * Effect's decode is checked by property tests, on JSON and on values
 * `JSON.parse` never returns.
 *
 * The compiled path reads input exactly the way Effect's parser does, so it
 * agrees on values `JSON.parse` never returns too: a required key through
 * `input[key]` (an inherited value counts, as in Effect), an optional key only
 * when it is an own property, a union member chosen by an OWN discriminator
 * (`Object.create(account)` selects none, as in Effect), `Reflect.ownKeys`
 * for strict key checks (symbols and non-enumerable keys are unknown keys).
 * Whatever it cannot match (arrays where a struct is expected, any failure)
 * goes to the full decode. A getter is read once here and once more by the
 * full decode when the fast path gives up.
 *
 * Compilation needs `new Function`, which edge runtimes, strict CSP and
 * `node --disallow-code-generation-from-strings` forbid. So nothing is
 * compiled at import time: {@link makeDecoder} compiles on the first decode,
 * and any compile failure leaves the full decode in charge.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"

/** Returned by compiled decoders when the input does not conform. */
export const FAIL: unique symbol = Symbol.for("@postpress/schema/fastDecoder/FAIL")

/** A compiled decoder. */
export type FastDecoder = (input: unknown) => unknown

class Unsupported extends Error {}

interface Emitter {
  readonly functions: Array<string>
  readonly refinements: Array<(u: unknown) => boolean>
  readonly strict: boolean
  readonly cache: Map<AST.AST, string>
  /** Null-prototype key sets of strict structs, built once per compiled decoder. */
  readonly keySets: Array<string>
}

const lit = (value: AST.LiteralValue): string => (typeof value === "bigint" ? `${value}n` : JSON.stringify(value))

/** Statements that check `input` (an identifier) against a leaf node; `null` when not a leaf. */
const leafCheck = (ast: AST.AST, input: string): string | null => {
  switch (ast._tag) {
    case "StringKeyword":
      return `if (typeof ${input} !== "string") return F;`
    case "NumberKeyword":
      return `if (typeof ${input} !== "number") return F;`
    case "BooleanKeyword":
      return `if (typeof ${input} !== "boolean") return F;`
    case "Literal":
      return `if (${input} !== ${lit(ast.literal)}) return F;`
    case "UnknownKeyword":
    case "AnyKeyword":
      return ""
    default:
      return null
  }
}

/** Statements that decode `input` into `output` (both identifiers) or `return F`. */
const emitInto = (e: Emitter, ast: AST.AST, input: string, output: string): string => {
  const leaf = leafCheck(ast, input)
  if (leaf !== null) return `${leaf} ${output} = ${input};`
  if (ast._tag === "Refinement") {
    const from = emitInto(e, ast.from, input, output)
    const index = e.refinements.length
    e.refinements.push((u) => Option.isNone(ast.filter(u, {}, ast)))
    return `${from} if (!R[${index}](${output})) return F;`
  }
  return `${output} = ${functionFor(e, ast)}(${input}); if (${output} === F) return F;`
}

const discriminatorOf = (members: ReadonlyArray<AST.AST>): { key: string; values: Array<AST.LiteralValue> } | null => {
  const first = members[0]
  if (first === undefined || first._tag !== "TypeLiteral") return null
  for (const candidate of first.propertySignatures) {
    if (typeof candidate.name !== "string") continue
    const values: Array<AST.LiteralValue> = []
    for (const member of members) {
      if (member._tag !== "TypeLiteral") return null
      const ps = member.propertySignatures.find((p) => p.name === candidate.name)
      if (ps === undefined || ps.isOptional || ps.type._tag !== "Literal" || values.includes(ps.type.literal)) {
        values.length = 0
        break
      }
      values.push(ps.type.literal)
    }
    if (values.length === members.length) return { key: candidate.name, values }
  }
  return null
}

const functionBody = (e: Emitter, ast: AST.AST): string => {
  switch (ast._tag) {
    case "TypeLiteral": {
      if (ast.indexSignatures.length > 0) throw new Unsupported("index signatures")
      // Any object Effect calls a record is read here as Effect reads it (class
      // instances and `Object.create(...)` included). Effect's struct check
      // admits arrays too; they go to the full decode, which decides.
      const lines = [`if (typeof x !== "object" || x === null || Array.isArray(x)) return F;`, "const o = {}; let v;"]
      if (e.strict) {
        const known = ast.propertySignatures.map((p) => p.name)
        if (known.some((k) => typeof k !== "string")) throw new Unsupported("symbol keys")
        // A null-prototype key set: `toString` or `__proto__` in the input is unknown, never found here.
        const set = known.map((k) => `${JSON.stringify(k)}: 1`).join(", ")
        const keys = `K${e.keySets.length}`
        e.keySets.push(`const ${keys} = { __proto__: null, ${set} };`)
        // Reflect.ownKeys, as Effect: symbols and non-enumerable keys are unknown keys too.
        lines.push(`for (const k of Reflect.ownKeys(x)) if (typeof k !== "string" || ${keys}[k] !== 1) return F;`)
      }
      for (const ps of ast.propertySignatures) {
        if (typeof ps.name !== "string") throw new Unsupported("symbol keys")
        // `o["__proto__"] = v` would set the output's prototype instead of a property.
        if (ps.name === "__proto__") throw new Unsupported("a __proto__ property")
        const key = JSON.stringify(ps.name)
        const decode = `${emitInto(e, ps.type, "i", "v")} o[${key}] = v;`
        lines.push(
          ps.isOptional
            ? `if (H.call(x, ${key})) { const i = x[${key}]; ${decode} }`
            : `{ const i = x[${key}]; ${decode} }`
        )
      }
      lines.push("return o;")
      return lines.join("\n")
    }
    case "TupleType": {
      if (ast.elements.length > 0 || ast.rest.length !== 1) throw new Unsupported("tuples")
      const element = ast.rest[0]!.type
      return [
        "if (!Array.isArray(x)) return F;",
        "const n = x.length; const a = new Array(n); let v;",
        `for (let j = 0; j < n; j++) { const i = x[j]; ${emitInto(e, element, "i", "v")} a[j] = v; }`,
        "return a;"
      ].join("\n")
    }
    case "Union": {
      const discriminator = discriminatorOf(ast.types)
      if (discriminator !== null) {
        const cases = ast.types.map(
          (member, index) => `case ${lit(discriminator.values[index]!)}: return ${functionFor(e, member)}(x);`
        )
        // Effect picks the member by an OWN discriminator property: an inherited
        // `type` selects no member there, so it selects none here either.
        return [
          `if (typeof x !== "object" || x === null || !H.call(x, ${JSON.stringify(discriminator.key)})) return F;`,
          `switch (x[${JSON.stringify(discriminator.key)}]) {`,
          ...cases,
          "default: return F;",
          "}"
        ].join("\n")
      }
      // Effect tries the members in order and keeps the first success.
      const tries = ast.types.map((member) => `{ const v = ${functionFor(e, member)}(x); if (v !== F) return v; }`)
      return [...tries, "return F;"].join("\n")
    }
    case "Refinement":
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "Literal":
      return `let v; ${emitInto(e, ast, "x", "v")} return v;`
    default:
      throw new Unsupported(ast._tag)
  }
}

const functionFor = (e: Emitter, ast: AST.AST): string => {
  const cached = e.cache.get(ast)
  if (cached !== undefined) return cached
  const name = `d${e.cache.size}`
  e.cache.set(ast, name)
  e.functions.push(`function ${name}(x) {\n${functionBody(e, ast)}\n}`)
  return name
}

/**
 * Compiles a decoder for `ast`, or returns `undefined` when it cannot: the
 * schema uses a node this compiler does not handle, or the runtime refuses
 * code generation (`EvalError`), or anything else goes wrong. Then only the
 * full decode is used.
 */
export const compile = (ast: AST.AST, options: { readonly strict: boolean }): FastDecoder | undefined => {
  const emitter: Emitter = { functions: [], refinements: [], strict: options.strict, cache: new Map(), keySets: [] }
  try {
    const entry = functionFor(emitter, ast)
    // The generated source only embeds JSON-quoted keys and literals taken from our own schemas.
    const source = [
      `"use strict";`,
      "const H = Object.prototype.hasOwnProperty;",
      ...emitter.keySets,
      ...emitter.functions,
      `return ${entry};`
    ].join("\n")
    const factory = new Function("F", "R", source)
    return factory(FAIL, emitter.refinements) as FastDecoder
  } catch {
    return undefined
  }
}

/** Decode options: `strict` rejects properties the schema does not define. */
export interface DecoderOptions {
  readonly strict: boolean
}

/** Effect's parse options matching {@link DecoderOptions}. */
export const parseOptions = (strict: boolean) =>
  ({ errors: "all", onExcessProperty: strict ? "error" : "ignore" }) as const satisfies AST.ParseOptions

/**
 * An `Either` decoder for `schema` with the same results as
 * `Schema.decodeUnknownEither(schema, parseOptions(strict))`: the compiled
 * fast path (built on first use) answers conformant input, the full decode
 * everything else, and all input when compilation is impossible.
 */
export const makeDecoder = <A, I>(
  schema: Schema.Schema<A, I, never>,
  options: DecoderOptions
): ((input: unknown) => Either.Either<A, ParseResult.ParseError>) => {
  const full = Schema.decodeUnknownEither(schema, parseOptions(options.strict))
  let fast: FastDecoder | null | undefined
  return (input) => {
    if (fast === undefined) fast = compile(schema.ast, options) ?? null
    if (fast === null) return full(input)
    const out = fast(input)
    return out === FAIL ? full(input) : Either.right(out as A)
  }
}
