/**
 * Decode errors as a reader wants them: one line per problem, a path and what
 * was expected, e.g.
 * `connection_params.im.premiumId: expected string | null, got undefined`.
 *
 * Built on Effect's `ParseResult.ArrayFormatter`: the formatter walks the
 * issue tree (pointers, unions, refinements, transformations, message
 * annotations) and hands over one `{ _tag, path, message }` per problem; this
 * module only words each one as `expected X, got Y`, with a short, safe
 * rendering of the value found at that path.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as AST from "effect/SchemaAST"

/**
 * One problem found while decoding.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeIssue {
  /** Where: the keys and indexes from the root. */
  readonly path: ReadonlyArray<PropertyKey>
  /** What was expected, e.g. `string | null`; `never` for a forbidden extra key. */
  readonly expected: string
  /** A short rendering of what was found. */
  readonly actual: string
  /** `expected X, got Y`, or the schema's own message for refinements. */
  readonly message: string
}

/**
 * Renders a path as `a.b[0].c`; the empty path is `(root)`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  if (path.length === 0) return "(root)"
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === "" ? key : `.${key}`
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out
}

const MAX_ACTUAL = 80

/**
 * A short, safe rendering of a value: strings quoted and truncated, objects
 * and arrays named rather than dumped.
 *
 * @since 0.1.0
 * @category formatting
 */
export const describeActual = (u: unknown): string => {
  if (u === undefined) return "undefined"
  if (u === null) return "null"
  if (typeof u === "string") {
    const quoted = JSON.stringify(u)
    return quoted.length > MAX_ACTUAL ? `${quoted.slice(0, MAX_ACTUAL - 4)}..."` : quoted
  }
  if (typeof u === "number" || typeof u === "boolean" || typeof u === "bigint") return String(u)
  if (Array.isArray(u)) return `an array of length ${u.length}`
  if (typeof u === "object") return "an object"
  return typeof u
}

const isObject = (u: unknown): u is Record<PropertyKey, unknown> => typeof u === "object" && u !== null

/** The input value at `path` (`undefined` where the path leaves the input). */
const valueAt = (root: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), root)

/** Does `value` carry the literal properties (the discriminators) of union member `ast`? */
const fitsMember = (ast: AST.AST, value: unknown): boolean => {
  const shape = AST.isRefinement(ast) || AST.isTransformation(ast) ? ast.from : ast
  if (!AST.isTypeLiteral(shape) || !isObject(value)) return false
  // Own properties only, as Effect's union selects its candidates.
  return shape.propertySignatures.every(
    (ps) => !AST.isLiteral(ps.type) || (Object.hasOwn(value, ps.name) && value[ps.name] === ps.type.literal)
  )
}

/**
 * The schema node that decodes the input at `path`, following the input's
 * discriminators through unions. The formatter reports a missing key without
 * its type; this finds what was expected there.
 */
const typeAt = (ast: AST.AST, path: ReadonlyArray<PropertyKey>, value: unknown): AST.AST | undefined => {
  if (AST.isSuspend(ast)) return typeAt(ast.f(), path, value)
  if (AST.isTransformation(ast)) return typeAt(ast.from, path, value)
  if (path.length === 0) return ast
  if (AST.isRefinement(ast)) return typeAt(ast.from, path, value)
  const [key, ...rest] = path
  const child = isObject(value) ? value[key as PropertyKey] : undefined
  if (AST.isTypeLiteral(ast)) {
    const ps = ast.propertySignatures.find((p) => p.name === key)
    return ps === undefined ? undefined : typeAt(ps.type, rest, child)
  }
  if (AST.isTupleType(ast) && typeof key === "number") {
    const element = ast.elements[key]?.type ?? ast.rest[0]?.type
    return element === undefined ? undefined : typeAt(element, rest, child)
  }
  if (AST.isUnion(ast)) {
    // The members the input's discriminators select; without any, every member
    // (so a missing `type` expects the union of every member's literal).
    const fitting = ast.types.filter((member) => fitsMember(member, value))
    const found = new Set<AST.AST>()
    for (const member of fitting.length > 0 ? fitting : ast.types) {
      const at = typeAt(member, path, value)
      if (at !== undefined) found.add(at)
    }
    return found.size === 0 ? undefined : found.size === 1 ? [...found][0] : AST.Union.make([...found])
  }
  return undefined
}

/**
 * What was expected, from the formatter's default `Expected X, actual Y`
 * message; `undefined` for a schema's own message.
 */
const expectedFromMessage = (message: string): string | undefined => {
  if (!message.startsWith("Expected ")) return undefined
  const end = message.indexOf(", actual ")
  return end === -1 ? undefined : message.slice("Expected ".length, end)
}

const rootOf = (error: ParseResult.ParseError | ParseResult.ParseIssue): ParseResult.ParseIssue =>
  error._tag === "ParseError" ? error.issue : error

/**
 * Flattens a decode failure into its individual problems, in the order
 * Effect's `ArrayFormatter` lists them.
 *
 * @since 0.1.0
 * @category formatting
 */
export const fromParseError = (error: ParseResult.ParseError | ParseResult.ParseIssue): ReadonlyArray<DecodeIssue> => {
  const root = rootOf(error)
  // A decode failure's root is a schema node's issue; a bare Pointer or Missing has no node to start from.
  const rootAst: Option.Option<AST.AST> =
    root._tag === "Pointer" || root._tag === "Missing" || root._tag === "Unexpected"
      ? Option.none()
      : Option.some(root.ast)
  const expectedAt = (path: ReadonlyArray<PropertyKey>): string | undefined =>
    Option.getOrUndefined(Option.flatMapNullable(rootAst, (ast) => typeAt(ast, path, root.actual)))?.toString()
  return ParseResult.ArrayFormatter.formatIssueSync(root).map(({ _tag, message, path }): DecodeIssue => {
    if (_tag === "Unexpected") {
      const actual = describeActual(valueAt(root.actual, path))
      return { path, expected: "never", actual, message: `unexpected property, got ${actual}` }
    }
    if (_tag === "Missing") {
      const expected = expectedAt(path) ?? "a value"
      return { path, expected, actual: "undefined", message: `expected ${expected}, got undefined` }
    }
    const actual = describeActual(valueAt(root.actual, path))
    const expected = expectedFromMessage(message)
    if (expected !== undefined) return { path, expected, actual, message: `expected ${expected}, got ${actual}` }
    // The schema's own message (e.g. `expected a finite number`): the value found follows it.
    return { path, expected: expectedAt(path) ?? message, actual, message: `${message}, got ${actual}` }
  })
}

/**
 * The paths of properties the schema does not define, from the formatter's
 * `Unexpected` issues of a decode with `onExcessProperty: "error"` (what the
 * contract tools report as drift).
 *
 * @since 0.1.0
 * @category formatting
 */
export const unexpectedPaths = (
  error: ParseResult.ParseError | ParseResult.ParseIssue
): ReadonlyArray<ReadonlyArray<PropertyKey>> =>
  ParseResult.ArrayFormatter.formatIssueSync(rootOf(error))
    .filter((issue) => issue._tag === "Unexpected")
    .map((issue) => issue.path)

/**
 * One line: `path: message`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatIssue = (issue: DecodeIssue): string => `${formatPath(issue.path)}: ${issue.message}`

/**
 * All problems of a decode failure, one per line.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (error: ParseResult.ParseError | ParseResult.ParseIssue): string =>
  fromParseError(error).map(formatIssue).join("\n")
