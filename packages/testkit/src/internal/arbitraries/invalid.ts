/**
 * One-violation mutations of a valid account, for negative tests. The places
 * that can be broken are found by walking the account alongside its variant's
 * schema AST, so every required key, literal, refinement and leaf type the
 * schema declares is a candidate without naming any of them here.
 *
 * @since 0.1.0
 */
import { Account, DecodeIssue } from "@postpress/schema"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

/**
 * What kind of rule was broken.
 *
 * @since 0.1.0
 * @category models
 */
export type ViolationKind =
  | "missing_required_key"
  | "wrong_type"
  | "invalid_literal"
  | "refinement"
  | "discriminant_mismatch"
  | "unexpected_null"

/**
 * A broken account and where it was broken.
 *
 * @since 0.1.0
 * @category models
 */
export interface InvalidAccount {
  /** The JSON value to feed a decoder or to serve. */
  readonly value: unknown
  /** The valid account it was made from. */
  readonly original: Account.Account
  readonly kind: ViolationKind
  /** Where, as keys and indexes from the root; decode issues start with this path. */
  readonly path: ReadonlyArray<PropertyKey>
  /** e.g. `connection_params.mail.imap_port: number replaced by "993"`. */
  readonly description: string
}

interface Site {
  readonly kind: ViolationKind
  readonly path: ReadonlyArray<PropertyKey>
  /** Replacement candidates; `undefined` in the list means "remove the key". */
  readonly replacements: ReadonlyArray<unknown>
  readonly what: string
}

const REMOVE = Symbol("remove")

// Strings that commonly violate string refinements (datetimes, non-empty ids).
const refinementBreakers = [
  "",
  "2025-02-30T00:00:00.000Z",
  "2025-12-31T23:59:60.000Z",
  "2025-12-31T23:59:59Z",
  "2025-12-31 23:59:59.999",
  "yesterday"
]

const wrongTypeFor = (ast: AST.AST): unknown => {
  switch (ast._tag) {
    case "StringKeyword":
      return 42
    case "NumberKeyword":
      return "993"
    case "BooleanKeyword":
      return "true"
    case "TupleType":
      return {}
    case "TypeLiteral":
      return []
    default:
      return undefined
  }
}

const isLiteralUnion = (ast: AST.AST): boolean =>
  ast._tag === "Literal" || (ast._tag === "Union" && ast.types.every((t) => t._tag === "Literal"))

const collect = (ast: AST.AST, value: unknown, path: ReadonlyArray<PropertyKey>, out: Array<Site>): void => {
  if (isLiteralUnion(ast)) {
    out.push({ kind: "invalid_literal", path, replacements: ["NOT_A_DOCUMENTED_VALUE"], what: String(ast) })
    return
  }
  switch (ast._tag) {
    case "Refinement": {
      const is = Schema.is(Schema.make(ast))
      const breakers = refinementBreakers.filter((s) => typeof value === typeof s && !is(s))
      if (breakers.length > 0) out.push({ kind: "refinement", path, replacements: breakers, what: String(ast) })
      collect(ast.from, value, path, out)
      return
    }
    case "Union": {
      if (value === null) {
        out.push({ kind: "wrong_type", path, replacements: [0], what: "null" })
        return
      }
      const member = ast.types.find((t) => Schema.is(Schema.make(t))(value))
      if (member !== undefined) collect(member, value, path, out)
      return
    }
    case "TypeLiteral": {
      out.push({ kind: "wrong_type", path, replacements: [wrongTypeFor(ast)], what: "object" })
      const record = value as Record<PropertyKey, unknown>
      for (const ps of ast.propertySignatures) {
        if (!(ps.name in record)) continue
        const child = [...path, ps.name]
        if (!ps.isOptional) out.push({ kind: "missing_required_key", path: child, replacements: [REMOVE], what: "key" })
        const nullable = AST.isUnion(ps.type) && ps.type.types.some((t) => AST.isLiteral(t) && t.literal === null)
        if (!nullable) out.push({ kind: "unexpected_null", path: child, replacements: [null], what: "non-null" })
        collect(ps.type, record[ps.name], child, out)
      }
      return
    }
    case "TupleType": {
      out.push({ kind: "wrong_type", path, replacements: [wrongTypeFor(ast)], what: "array" })
      const items = value as ReadonlyArray<unknown>
      const rest = ast.rest[0]
      if (rest === undefined) return
      items.forEach((item, i) => {
        collect(rest.type, item, [...path, i], out)
      })
      return
    }
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
      out.push({ kind: "wrong_type", path, replacements: [wrongTypeFor(ast)], what: ast._tag.replace("Keyword", "") })
      return
    default:
      return
  }
}

const setAt = (root: unknown, path: ReadonlyArray<PropertyKey>, replacement: unknown): unknown => {
  if (path.length === 0) return replacement
  const [head, ...tail] = path as [PropertyKey, ...Array<PropertyKey>]
  if (Array.isArray(root)) {
    const copy = [...root]
    copy[head as number] = setAt(copy[head as number], tail, replacement)
    return copy
  }
  const copy: Record<PropertyKey, unknown> = { ...(root as Record<PropertyKey, unknown>) }
  if (tail.length === 0 && replacement === REMOVE) delete copy[head]
  else copy[head] = setAt(copy[head], tail, replacement)
  return copy
}

const describe = (site: Site, replacement: unknown): string => {
  const where = DecodeIssue.formatPath(site.path)
  switch (site.kind) {
    case "missing_required_key":
      return `${where}: required key removed`
    case "unexpected_null":
      return `${where}: set to null (not nullable)`
    default:
      return `${where}: ${site.what} replaced by ${JSON.stringify(replacement)}`
  }
}

const encodeAccount = Schema.encodeSync(Account.Account)

/**
 * Every single-site violation of `account`, discriminant/params mismatches
 * included. Exposed for tests; consumers use the arbitrary.
 *
 * @internal
 */
export const sitesOf = (account: Account.Account): ReadonlyArray<Site> => {
  const value = encodeAccount(account)
  const sites: Array<Site> = []
  collect(Account.variantOf(account.type).ast, value, [], sites)
  const mismatched = Account.accountTypes.filter(
    (other) => other !== account.type && !Schema.is(Account.variantOf(other))({ ...value, type: other })
  )
  if (mismatched.length > 0) {
    sites.push({
      kind: "discriminant_mismatch",
      path: ["connection_params"],
      replacements: mismatched,
      what: `connection_params of ${account.type}`
    })
  }
  return sites
}

const apply = (account: Account.Account, site: Site, replacement: unknown): InvalidAccount => {
  const value = encodeAccount(account)
  const broken =
    site.kind === "discriminant_mismatch"
      ? { ...value, type: replacement }
      : setAt(value, site.path, replacement === REMOVE ? REMOVE : replacement)
  return {
    value: broken,
    original: account,
    kind: site.kind,
    path: site.path,
    description:
      site.kind === "discriminant_mismatch"
        ? `type changed to ${JSON.stringify(replacement)}: connection_params still has the ${account.type} shape`
        : describe(site, replacement)
  }
}

/**
 * Breaks `account` in exactly one place chosen by the arbitrary.
 *
 * @internal
 */
export const invalidFrom = (accounts: FastCheck.Arbitrary<Account.Account>): FastCheck.Arbitrary<InvalidAccount> =>
  accounts.chain((account) => {
    const sites = sitesOf(account)
    return FastCheck.integer({ min: 0, max: sites.length - 1 }).chain((i) => {
      const site = sites[i]!
      return FastCheck.constantFrom(...site.replacements).map((r) => apply(account, site, r))
    })
  })
