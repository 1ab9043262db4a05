/**
 * The rules and the generator hold each other to account: over random
 * changes to this project's own account schema (lenient and strict; one to
 * three changes of every kind the rules name, `support/mutations.ts`):
 * - every breaking change carries a counterexample, and an ajv built apart
 *   from the package agrees that NEW accepts it and OLD rejects it;
 * - when the diff reports nothing breaking (safe, narrowing, unchanged), the
 *   generator, unaimed and with another seed, finds no value NEW accepts and
 *   OLD rejects.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import fc from "fast-check"
import { subjectArbitrary } from "../src/internal/arbitrary.js"
import { read } from "../src/internal/document.js"
import * as SchemaDiff from "../src/SchemaDiff.js"
import { acceptor, readDocument } from "./support/independent.js"
import { apply, type Mutation, mutation } from "./support/mutations.js"

type Doc = Parameters<typeof apply>[0]

const bases = {
  lenient: readDocument("packages/schema/json-schema/account.schema.json") as unknown as Doc,
  strict: readDocument("packages/schema/json-schema/account.strict.schema.json") as unknown as Doc
}

const acceptsBase = { lenient: acceptor(bases.lenient as never), strict: acceptor(bases.strict as never) }

/** Values NEW accepts and OLD rejects, generated from NEW without aim: the first, if any. */
const unaimedCounterexample = (acceptsOld: (value: unknown) => boolean, next: Doc, seed: number): unknown => {
  const acceptsNew = acceptor(next as never)
  const contract = read(next)
  const arbitrary = subjectArbitrary(contract, contract.subjects[0]!.schema, undefined)
  return fc.sample(arbitrary, { seed, numRuns: 300 }).find((value) => acceptsNew(value) && !acceptsOld(value))
}

describe("rules and generator agree", () => {
  for (const [name, base] of Object.entries(bases)) {
    it.prop(
      `${name} account schema: breaking ⇔ a counterexample`,
      [fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.integer()],
      ([mutations, seed]: [ReadonlyArray<Mutation>, number]) => {
        const next = mutations.reduce(apply, base)
        const result = Effect.runSync(SchemaDiff.diff(base, next, { runs: 100 }))
        const [acceptsOld, acceptsNew] = [acceptsBase[name as keyof typeof bases], acceptor(next as never)]
        const breaking = result.changes.filter((change) => change.severity === "breaking")
        for (const change of breaking) {
          const value = change.counterexample?.value
          expect(change.counterexample, `${change.rule} ${change.path}: ${change.noCounterexample}`).toBeDefined()
          expect(acceptsNew(value), `${change.rule}: NEW accepts ${JSON.stringify(value)}`).toBe(true)
          expect(acceptsOld(value), `${change.rule}: OLD rejects ${JSON.stringify(value)}`).toBe(false)
        }
        if (breaking.length === 0) {
          const found = unaimedCounterexample(acceptsOld, next, seed)
          expect(found, `${result.verdict}, yet NEW sends ${JSON.stringify(found)}`).toBeUndefined()
        }
        expect(result.verdict === "breaking").toBe(breaking.length > 0)
      },
      { fastCheck: { numRuns: 30 } }
    )
  }
})
