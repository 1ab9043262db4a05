/**
 * Decode throughput of `Account` side by side with ajv 8 (compiled, `oneOf` +
 * `discriminator: true` over the JSON Schema we generate), plus references:
 * Effect's plain `Schema.decodeUnknownEither` and zod 4 `discriminatedUnion`
 * (built with `z.fromJSONSchema` from the same generated JSON Schemas).
 *
 * Data: a fixed seeded set of 10,010 valid accounts (715 per variant) and as
 * many invalid ones (each with exactly one leaf of another JSON type), as parsed JSON.
 * `--smoke`: 20 accounts per variant, one round.
 */
import { Account, AccountDecoder, JsonSchemas } from "@postpress/schema"
import { Arbitrary, Either, JSONSchema, Schema } from "effect"
import fc from "fast-check"
import { z } from "zod"
import { type BenchEntry, type BenchOptions, entry, sized } from "../../../scripts/bench-entry.js"
import { makeAjv } from "../test/utils/ajv.js"
import { breakOneLeaf, type Json } from "../test/utils/inputs.js"

const SEED = 20261126

const dataset = (perVariant: number) => {
  const valid: Array<unknown> = []
  const invalid: Array<unknown> = []
  Account.accountTypes.forEach((type, i) => {
    const schema = Account.variantOf(type) as unknown as Schema.Schema<Account.Account>
    const accounts = fc.sample(Arbitrary.make(schema), { seed: SEED + i, numRuns: perVariant })
    const picks = fc.sample(fc.tuple(fc.nat(), fc.nat()), { seed: SEED + i, numRuns: perVariant })
    accounts.forEach((account, n) => {
      valid.push(JSON.parse(JSON.stringify(account)))
      const [at, pick] = picks[n]!
      invalid.push(breakOneLeaf(JSON.parse(JSON.stringify(account)) as Json, at, pick))
    })
  })
  return { valid, invalid }
}

const ajvDiscriminated = () => {
  const schema = JsonSchemas.account() as { $defs: Record<string, Record<string, unknown>> }
  const union = schema.$defs.Account!
  // ajv's discriminator lets non-objects through (`[]` validates): `type: "object"` keeps the peer correct.
  schema.$defs.Account = { type: "object", oneOf: union.anyOf, discriminator: { propertyName: "type" } }
  // ajv's discriminator wants `const` tags.
  for (const [name, def] of Object.entries(schema.$defs)) {
    const type = (def.properties as Record<string, { enum?: Array<string> }> | undefined)?.type
    if (name.endsWith("Account") && type?.enum?.length === 1)
      (def.properties as Record<string, unknown>).type = { const: type.enum[0] }
  }
  return makeAjv({ discriminator: true }).compile(schema)
}

const zodDiscriminated = () => {
  const variants = Account.variants.map((variant) => {
    const json = JSONSchema.make(variant as unknown as Schema.Schema<Account.Account>, { target: "jsonSchema2020-12" })
    return z.fromJSONSchema(json as never) as unknown as z.ZodObject
  })
  return z.discriminatedUnion("type", variants as unknown as [z.ZodObject, z.ZodObject])
}

/** Items per second of `fn` over `data`, best of interleaved rounds. */
const measureAll = (fns: Record<string, (u: unknown) => unknown>, data: ReadonlyArray<unknown>, rounds: number) => {
  const best: Record<string, number> = {}
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(fns)) {
      const start = process.hrtime.bigint()
      for (let i = 0; i < data.length; i++) fn(data[i])
      const seconds = Number(process.hrtime.bigint() - start) / 1e9
      best[name] = Math.max(best[name] ?? 0, data.length / seconds)
    }
  }
  return best
}

/** The entries this module writes. */
export const entries: ReadonlyArray<string> = [
  "decode-valid-vs-ajv",
  "decode-invalid-vs-ajv",
  "decode-valid-effect-plain-vs-ajv",
  "decode-valid-zod-vs-ajv",
  "decode-invalid-zod-vs-ajv"
]

export default async (options: BenchOptions): Promise<ReadonlyArray<BenchEntry>> => {
  const { valid, invalid } = dataset(sized(options, 715, 20))
  const rounds = sized(options, 7, 1)
  const ajv = ajvDiscriminated()
  const zod = zodDiscriminated()
  const plain = Schema.decodeUnknownEither(Account.Account, { errors: "all" })

  // Sanity: every peer agrees on the verdicts before we time anything.
  for (const [name, ok] of [
    ["ours", (u: unknown) => Either.isRight(AccountDecoder.decodeEither(u))],
    ["ajv", (u: unknown) => ajv(u) === true],
    ["zod", (u: unknown) => zod.safeParse(u).success]
  ] as const) {
    if (!valid.every(ok)) throw new Error(`bench: ${name} rejects a valid account`)
    if (invalid.some(ok)) throw new Error(`bench: ${name} accepts an invalid account`)
  }

  const fns = {
    ours: (u: unknown) => AccountDecoder.decodeEither(u),
    ajv: (u: unknown) => ajv(u),
    effectPlain: (u: unknown) => plain(u),
    zod: (u: unknown) => zod.safeParse(u)
  }
  const v = measureAll(fns, valid, rounds)
  const x = measureAll(fns, invalid, rounds)
  const unit = "accounts/s"
  return [
    entry("decode-valid-vs-ajv", v.ours!, v.ajv!, unit, {
      note: `${valid.length} accounts, ${Account.accountTypes.length} variants`
    }),
    entry("decode-invalid-vs-ajv", x.ours!, x.ajv!, unit, { note: "ours reports every issue with its path" }),
    entry("decode-valid-effect-plain-vs-ajv", v.effectPlain!, v.ajv!, unit, { note: "reference" }),
    entry("decode-valid-zod-vs-ajv", v.zod!, v.ajv!, unit, { note: "reference: zod 4 discriminatedUnion" }),
    entry("decode-invalid-zod-vs-ajv", x.zod!, x.ajv!, unit, { note: "reference" })
  ]
}
