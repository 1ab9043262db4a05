/**
 * Test/bench helper: inputs derived from `Arbitrary.make(Account)` alone (no
 * dependency on `@postpress/testkit`, so the workspace has no cycle).
 *
 * - `brokenAccount`: a valid account (as parsed JSON) with one leaf replaced by
 *   a value of another JSON type; it never decodes.
 * - `exoticAccount`: a valid account with one object or array node rebuilt as
 *   something `JSON.parse` never returns: an object whose properties are all
 *   inherited, getters, a class instance, a null prototype, an own `__proto__`
 *   key, a symbol key, a non-enumerable key, a sparse array, an array with an
 *   extra property. Decoders must give Effect's answer on these too.
 */
import { Account } from "@postpress/schema"
import { Arbitrary } from "effect"
import fc from "fast-check"

type Path = ReadonlyArray<string | number>
export type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }

/** Valid accounts as a server would send them (parsed JSON). */
export const jsonAccount: fc.Arbitrary<Json> = Arbitrary.make(Account.Account).map(
  (account) => JSON.parse(JSON.stringify(account)) as Json
)

const nodes = (value: Json, path: Path, out: { leaves: Array<Path>; containers: Array<Path> }) => {
  if (value !== null && typeof value === "object") {
    out.containers.push(path)
    if (Array.isArray(value)) for (const [i, item] of value.entries()) nodes(item, [...path, i], out)
    else for (const [key, item] of Object.entries(value)) nodes(item, [...path, key], out)
  } else out.leaves.push(path)
  return out
}

const get = (root: Json, path: Path): Json => path.reduce<Json>((node, key) => (node as never)[key], root)

/** Returns `root` with the node at `path` replaced (the root itself when `path` is empty). */
const replaceAt = (root: Json, path: Path, replacement: unknown): unknown => {
  if (path.length === 0) return replacement
  const parent = get(root, path.slice(0, -1)) as Record<string | number, unknown>
  parent[path[path.length - 1]!] = replacement
  return root
}

/** A JSON value of another type than `value`. */
const otherType = (value: Json, pick: number): Json => {
  const candidates: Array<Json> = [42.5, "x", true, [], {}]
  const others = candidates.filter((c) => typeof c !== typeof value || Array.isArray(c) !== Array.isArray(value))
  // `null` is a leaf of nullable fields; replacing it by `{}` or `[]` is still a type error.
  return others[pick % others.length]!
}

/** `account` (parsed JSON, changed in place) with its `at`-th leaf replaced by a value of another JSON type. */
export const breakOneLeaf = (account: Json, at: number, pick: number): unknown => {
  const { leaves } = nodes(account, [], { leaves: [], containers: [] })
  const path = leaves[at % leaves.length]!
  return replaceAt(account, path, otherType(get(account, path), pick))
}

/** One leaf of a valid account replaced by a value of another JSON type. */
export const brokenAccount: fc.Arbitrary<unknown> = fc
  .tuple(jsonAccount, fc.nat(), fc.nat())
  .map(([account, at, pick]) => breakOneLeaf(account, at, pick))

class Instance {
  constructor(source: object) {
    Object.assign(this, source)
  }
}

/** The ways a JavaScript value can differ from what `JSON.parse` returns. */
const exotics: ReadonlyArray<readonly [string, (node: Json) => unknown]> = [
  ["all inherited", (node) => (Array.isArray(node) ? node : Object.create(node as object))],
  [
    "getters",
    (node) => {
      if (Array.isArray(node) || node === null || typeof node !== "object") return node
      const out = {}
      for (const [key, value] of Object.entries(node))
        Object.defineProperty(out, key, { get: () => value, enumerable: true, configurable: true })
      return out
    }
  ],
  ["class instance", (node) => (Array.isArray(node) ? node : new Instance(node as object))],
  ["null prototype", (node) => (Array.isArray(node) ? node : Object.assign(Object.create(null), node))],
  [
    "own __proto__ key",
    (node) => (Array.isArray(node) ? node : { ...(node as object), ...JSON.parse('{"__proto__":1}') })
  ],
  ["symbol key", (node) => (Array.isArray(node) ? node : { ...(node as object), [Symbol("s")]: 1 })],
  [
    "non-enumerable key",
    (node) => (Array.isArray(node) ? node : Object.defineProperty({ ...(node as object) }, "hidden", { value: 1 }))
  ],
  [
    "one required key inherited",
    (node) => {
      if (Array.isArray(node) || node === null || typeof node !== "object") return node
      const [first, ...rest] = Object.keys(node)
      if (first === undefined) return node
      const own = Object.create({ [first]: node[first] })
      for (const key of rest) own[key] = node[key]
      return own
    }
  ],
  [
    "sparse array",
    (node) => {
      if (!Array.isArray(node)) return node
      const out = [...node]
      out.length += 1
      return out
    }
  ],
  [
    "array with a hole",
    (node) => (Array.isArray(node) && node.length > 0 ? Object.assign([...node], { 0: undefined }) : node)
  ],
  ["array with a property", (node) => (Array.isArray(node) ? Object.assign([...node], { extra: 1 }) : node)],
  ["array subclass", (node) => (Array.isArray(node) ? Object.assign(new (class extends Array {})(), node) : node)]
]

/** A valid account with one object or array node rebuilt in a way `JSON.parse` never produces. */
export const exoticAccount: fc.Arbitrary<{ readonly kind: string; readonly path: Path; readonly value: unknown }> = fc
  .tuple(jsonAccount, fc.nat(), fc.nat({ max: exotics.length - 1 }))
  .map(([account, at, which]) => {
    const { containers } = nodes(account, [], { leaves: [], containers: [] })
    const path = containers[at % containers.length]!
    const [kind, rebuild] = exotics[which]!
    return { kind, path, value: replaceAt(account, path, rebuild(get(account, path))) }
  })

/** `delete` one element from an array leaves a real hole (not `undefined`). */
export const holeyAccount: fc.Arbitrary<unknown> = fc.tuple(jsonAccount, fc.nat()).map(([account, at]) => {
  const { containers } = nodes(account, [], { leaves: [], containers: [] })
  const arrays = containers.filter((path) => Array.isArray(get(account, path)) && (get(account, path) as []).length > 0)
  if (arrays.length === 0) return account
  const target = get(account, arrays[at % arrays.length]!) as Array<Json>
  delete target[0]
  return account
})
