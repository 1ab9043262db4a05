/**
 * Realistic leaves for schema-derived arbitraries. The shapes still come from
 * `Arbitrary.make` over the `@postpress/schema` ASTs; this module only attaches
 * `arbitrary` annotations to string and number leaves, chosen by the leaf's
 * property path, so that hosts look like hosts and ports like ports. A rule
 * whose path no longer exists in the schema simply stops matching; the test
 * suite checks every rule still matches something.
 *
 * @since 0.1.0
 */
import type * as FastCheck from "effect/FastCheck"
import * as AST from "effect/SchemaAST"

type Fc = typeof FastCheck

/** A leaf generator; `fc` is the fast-check module the derivation runs with. */
export type Leaf<A = string> = (fc: Fc) => FastCheck.Arbitrary<A>

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const firstNames = ["anna", "ben", "chloe", "diego", "emma", "farid", "grace", "hugo", "ines", "jonas", "kenji", "lea"]
const teams = ["Sales", "Support", "Recruiting", "Marketing", "Founders", "Ops", "Partnerships"]
const domains = ["acme.io", "example.com", "globex.co", "initech.dev", "umbrella.org", "hooli.xyz"]

/** @internal */
export const ulid: Leaf = (fc) =>
  fc.array(fc.constantFrom(...crockford), { minLength: 26, maxLength: 26 }).map((cs) => `01${cs.join("").slice(2)}`)

/** @internal */
export const prefixedId =
  (prefix: string): Leaf =>
  (fc) =>
    ulid(fc).map((u) => `${prefix}_${u}`)

/** @internal */
export const email: Leaf = (fc) =>
  fc
    .tuple(fc.constantFrom(...firstNames), fc.integer({ min: 0, max: 99 }), fc.constantFrom(...domains))
    .map(([n, i, d]) => `${n}${i === 0 ? "" : `.${i}`}@${d}`)

/** @internal */
export const hostname: Leaf = (fc) =>
  fc
    .tuple(fc.constantFrom("imap", "smtp", "mail", "mx", "proxy", "gw"), fc.constantFrom(...domains))
    .map(([h, d]) => `${h}.${d}`)

/** @internal */
export const port: Leaf<number> = (fc) =>
  fc.oneof(fc.constantFrom(993, 143, 465, 587, 25, 1080, 3128, 8080), fc.integer({ min: 1, max: 65535 }))

/** E.164: a plus sign and 8 to 15 digits, never starting with 0. */
export const phoneNumber: Leaf = (fc) =>
  fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 13 }))
    .map(([first, rest]) => `+${first}${rest.join("")}`)

/** An ICCID: 89, then 17 or 18 digits. */
const iccid: Leaf = (fc) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 18 }).map((ds) => `89${ds.join("")}`)

const handle: Leaf = (fc) =>
  fc
    .tuple(fc.constantFrom(...firstNames), fc.constantFrom("", "-doe", "_smith", ".dev", "42"))
    .map(([n, s]) => `${n}${s}`)

const label: Leaf = (fc) =>
  fc
    .tuple(fc.constantFrom(...firstNames), fc.constantFrom(...teams))
    .map(([n, t]) => `${n.charAt(0).toUpperCase()}${n.slice(1)} - ${t}`)

const digits =
  (prefix: string, length: number): Leaf =>
  (fc) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => prefix + d.join(""))

const slackId =
  (prefix: string): Leaf =>
  (fc) =>
    fc.array(fc.constantFrom(...crockford), { minLength: 10, maxLength: 10 }).map((cs) => prefix + cs.join(""))

/**
 * Rules by path. A path is the property keys from the account root, `[]`
 * standing for any array element; a rule matches when its pattern is a suffix
 * of the leaf's path (`*` matches any single key).
 *
 * @internal
 */
export const accountRules: ReadonlyArray<readonly [pattern: string, leaf: Leaf | Leaf<number>]> = [
  ["^id", prefixedId("acc")],
  ["^name", label],
  ["^current_signature", prefixedId("sig")],
  ["^groups.[]", prefixedId("grp")],
  ["sources.[].id", (fc) => fc.constantFrom("messaging", "mail", "calendar", "contacts", "call", "sync")],
  ["signatures.[].title", (fc) => fc.constantFrom("Default", "Short", "Formal", "Holiday")],
  ["signatures.[].content", (fc) => label(fc).map((l) => `Best,\n${l}`)],
  ["imap_host", hostname],
  ["smtp_host", hostname],
  ["proxy.host", hostname],
  ["imap_port", port],
  ["smtp_port", port],
  ["proxy.port", port],
  ["imap_user", email],
  ["smtp_user", email],
  ["mail.username", email],
  ["calendar.username", email],
  ["mail.id", digits("", 21)],
  ["calendar.id", email],
  ["^connection_params.calendar", email],
  ["sync_token", (fc) => ulid(fc).map((u) => `sync_${u.toLowerCase()}`)],
  ["phone_number", phoneNumber],
  ["sim_serial_number", iccid],
  ["im.username", handle],
  ["im.publicIdentifier", handle],
  ["im.url", (fc) => handle(fc).map((h) => `https://${h.replace(/[^a-z]/g, "")}.slack.com`)],
  ["im.user", handle],
  ["im.team", (fc) => fc.constantFrom(...teams)],
  ["im.user_id", slackId("U")],
  ["im.team_id", slackId("T")],
  ["im.id", (fc) => ulid(fc).map((u) => `ACoA${u.slice(0, 12)}`)],
  ["organizations.[].name", (fc) => fc.constantFrom("Acme Inc.", "Globex", "Initech", "Umbrella Corp")],
  ["organization_urn", (fc) => digits("urn:li:organization:", 6)(fc)],
  ["mailbox_urn", (fc) => ulid(fc).map((u) => `urn:li:fsd_messagingThread:${u.toLowerCase()}`)],
  ["proxy.username", handle],
  ["premiumId", (fc) => digits("", 9)(fc)],
  ["premiumContractId", (fc) => digits("", 9)(fc)]
]

const matches = (pattern: string, path: ReadonlyArray<string>): boolean => {
  const anchored = pattern.startsWith("^")
  const parts = (anchored ? pattern.slice(1) : pattern).split(".")
  if (anchored ? parts.length !== path.length : parts.length > path.length) return false
  const offset = path.length - parts.length
  return parts.every((p, i) => p === "*" || p === path[offset + i])
}

/**
 * Rebuilds `ast` with an arbitrary annotation on every string or number leaf
 * a rule matches; `onMatch` receives the index of each rule that fired.
 *
 * @internal
 */
export const annotate = (
  ast: AST.AST,
  rules: ReadonlyArray<readonly [string, Leaf | Leaf<number>]>,
  onMatch: (rule: number) => void = () => {},
  path: ReadonlyArray<string> = []
): AST.AST => {
  const go = (child: AST.AST, key: string) => annotate(child, rules, onMatch, [...path, key])
  switch (ast._tag) {
    case "Union":
      return AST.Union.make(
        ast.types.map((t) => annotate(t, rules, onMatch, path)),
        ast.annotations
      )
    case "TypeLiteral":
      return new AST.TypeLiteral(
        ast.propertySignatures.map(
          (ps) =>
            new AST.PropertySignature(
              ps.name,
              go(ps.type, String(ps.name)),
              ps.isOptional,
              ps.isReadonly,
              ps.annotations
            )
        ),
        ast.indexSignatures,
        ast.annotations
      )
    case "TupleType":
      return new AST.TupleType(
        ast.elements.map((e) => new AST.OptionalType(go(e.type, "[]"), e.isOptional, e.annotations)),
        ast.rest.map((r) => new AST.Type(go(r.type, "[]"), r.annotations)),
        ast.isReadonly,
        ast.annotations
      )
    case "StringKeyword":
    case "NumberKeyword":
    case "Refinement": {
      if (ast._tag === "Refinement" && AST.ArbitraryAnnotationId in ast.annotations) return ast
      const index = rules.findIndex(([pattern]) => matches(pattern, path))
      if (index === -1) return ast
      onMatch(index)
      const leaf = rules[index]![1]
      return AST.annotations(ast, { [AST.ArbitraryAnnotationId]: () => leaf })
    }
    default:
      return ast
  }
}
