/**
 * Decode errors as a reader wants them: one line per problem, a path and what
 * was expected, e.g.
 * `connection_params.im.premiumId: expected string | null, got undefined`.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
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

const customMessage = (issue: ParseResult.ParseIssue & { readonly ast: AST.AST }): string | undefined => {
  const annotation = AST.getMessageAnnotation(issue.ast)
  if (Option.isNone(annotation)) return undefined
  const out = annotation.value(issue)
  if (typeof out === "string") return out
  if (typeof out === "object" && out !== null && "message" in out && typeof out.message === "string") return out.message
  return undefined
}

const collect = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>, out: Array<DecodeIssue>): void => {
  switch (issue._tag) {
    case "Pointer": {
      const next = Array.isArray(issue.path) ? [...path, ...issue.path] : [...path, issue.path as PropertyKey]
      collect(issue.issue, next, out)
      return
    }
    case "Composite": {
      const issues = Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]
      for (const inner of issues) collect(inner, path, out)
      return
    }
    case "Refinement": {
      if (issue.kind === "From") {
        collect(issue.issue, path, out)
        return
      }
      const expected = String(issue.ast)
      const actual = describeActual(issue.actual)
      const own = customMessage(issue)
      out.push({ path, expected, actual, message: `${own ?? `expected ${expected}`}, got ${actual}` })
      return
    }
    case "Transformation":
      collect(issue.issue, path, out)
      return
    case "Missing": {
      // Effect hands over the property signature here; what was expected is its type.
      const ast: unknown = issue.ast
      const expected = String(ast instanceof AST.PropertySignature ? ast.type : ast)
      out.push({ path, expected, actual: "undefined", message: `expected ${expected}, got undefined` })
      return
    }
    case "Unexpected": {
      const actual = describeActual(issue.actual)
      out.push({ path, expected: "never", actual, message: `unexpected property, got ${actual}` })
      return
    }
    case "Type":
    case "Forbidden": {
      const expected = String(issue.ast)
      const actual = describeActual(issue.actual)
      const own = customMessage(issue)
      out.push({ path, expected, actual, message: `${own ?? `expected ${expected}`}, got ${actual}` })
      return
    }
  }
}

/**
 * Flattens a decode failure into its individual problems.
 *
 * @since 0.1.0
 * @category formatting
 */
export const fromParseError = (error: ParseResult.ParseError | ParseResult.ParseIssue): ReadonlyArray<DecodeIssue> => {
  const out: Array<DecodeIssue> = []
  collect(error._tag === "ParseError" ? error.issue : error, [], out)
  return out
}

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
