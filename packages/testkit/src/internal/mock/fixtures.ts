/**
 * The mock's state: workspaces with an API key and accounts, generated
 * deterministically from a seed with the package's own arbitraries. Every
 * account is encoded through the `Account` schema once at startup, so a
 * fixture the contract would reject can never be served, and the JSON bodies
 * are precomputed.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { Account, SpecExample } from "@postpress/schema"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Arbitraries from "../arbitraries/accounts.js"

/**
 * One workspace as the mock holds it.
 *
 * @internal
 */
export interface Workspace {
  readonly apiKey: string
  readonly keyDigest: Buffer
  readonly accounts: ReadonlyArray<Account.Account>
  /** Precomputed response bodies by account id. */
  readonly bodies: ReadonlyMap<string, Buffer>
  /** The same accounts carrying {@link unknownFields} (for `x-mock-extra-fields: 1`). */
  readonly extendedBodies: ReadonlyMap<string, Buffer>
}

/**
 * Fields no version of the spec defines, added to an account on request so a
 * consumer can check that its decoder tolerates what a later API version may
 * add: a scalar and an object at the top level, and one inside
 * `connection_params`.
 *
 * @internal
 */
export const unknownFields = {
  mock_added_later: "a field a later API version may add",
  mock_added_later_object: { nested: true, items: [1, 2, 3] }
} as const

const withUnknownFields = (encoded: Record<string, unknown>): Record<string, unknown> => {
  const params = encoded.connection_params
  return {
    ...encoded,
    ...unknownFields,
    ...(typeof params === "object" && params !== null && !Array.isArray(params)
      ? { connection_params: { ...params, mock_added_later: unknownFields.mock_added_later } }
      : {})
  }
}

/**
 * The provider type the mock serves for `x-mock-unknown-type: 1`: none of
 * the 14, as the API's next provider would be.
 *
 * @internal
 */
export const unknownAccountType = "MOCK_LATER_PROVIDER"

/**
 * The `connection_params` of that provider: a shape no variant has, so a
 * reader cannot get by on a known variant's.
 *
 * @internal
 */
export const unknownTypeConnectionParams = { mock_later: { handle: "a provider a later API version may add" } } as const

/**
 * A served body as an account of {@link unknownAccountType}: the envelope
 * every variant shares (id, name, created_at, …) kept, its type and
 * `connection_params` those of the later provider; any other field (the
 * unknown fields of `x-mock-extra-fields: 1` too) kept.
 *
 * @internal
 */
export const asUnknownType = (body: Uint8Array): Uint8Array => {
  const account = JSON.parse(Buffer.from(body).toString("utf8")) as Record<string, unknown>
  const { last_fetched_at: _, ...shared } = account
  return Buffer.from(
    JSON.stringify({ ...shared, type: unknownAccountType, connection_params: unknownTypeConnectionParams })
  )
}

/**
 * SHA-256 of a key: the mock compares digests, never the keys themselves.
 *
 * @internal
 */
export const digest = (key: string): Buffer => createHash("sha256").update(key, "utf8").digest()

const encode = Schema.encodeSync(Account.Account)
const decodeExample = Schema.decodeUnknownSync(Account.Account)

const keyArbitrary = FastCheck.array(FastCheck.constantFrom(..."0123456789abcdef"), {
  minLength: 32,
  maxLength: 32
}).map((cs) => cs.join(""))

/**
 * Builds `count` (≥ 2) workspaces from `seed`: the first holds every provider
 * type at least once plus the spec's example account, the others a few
 * accounts each. Ids are unique across workspaces, so an id of one workspace
 * is a foreign id for every other.
 *
 * @internal
 */
export const makeWorkspaces = (seed: number, count = 2): ReadonlyArray<Workspace> => {
  const [allTypes, extras, keys, ids] = FastCheck.sample(
    FastCheck.tuple(
      Arbitraries.oneOfEachType,
      FastCheck.array(FastCheck.array(Arbitraries.account, { minLength: 2, maxLength: 6 }), {
        minLength: count - 1,
        maxLength: count - 1
      }),
      FastCheck.uniqueArray(keyArbitrary, { minLength: count, maxLength: count }),
      FastCheck.uniqueArray(Arbitraries.accountId, { minLength: 16 + 6 * count, maxLength: 16 + 6 * count })
    ),
    { seed, numRuns: 1 }
  )[0]!
  const example = decodeExample(SpecExample.retrieveAccountResponse)
  const freshIds = ids.filter((id) => id !== example.id)
  let next = 0
  // Generated ids could collide across the independent account arbitraries; reassign from one unique pool.
  const withId = (account: Account.Account): Account.Account => ({ ...account, id: freshIds[next++]! })
  const groups: ReadonlyArray<ReadonlyArray<Account.Account>> = [
    [example, ...allTypes.map(withId)],
    ...extras.map((accounts) => accounts.map(withId))
  ]
  return groups.map((accounts, i) => {
    const apiKey = `pp_mock_${i}_${keys[i]!}`
    const encoded = accounts.map((a) => [a.id, encode(a) as unknown as Record<string, unknown>] as const)
    return {
      apiKey,
      keyDigest: digest(apiKey),
      accounts,
      bodies: new Map(encoded.map(([id, body]) => [id, Buffer.from(JSON.stringify(body))])),
      extendedBodies: new Map(encoded.map(([id, body]) => [id, Buffer.from(JSON.stringify(withUnknownFields(body)))]))
    }
  })
}
