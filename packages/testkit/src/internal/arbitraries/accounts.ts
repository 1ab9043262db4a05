/**
 * The realistic account and id arbitraries the mock's fixtures are drawn
 * from too (internal code never imports the `Arbitraries` face): derived from
 * `@postpress/schema` with `Arbitrary.make`, realistic leaves attached by
 * `realism.ts`. `Arbitraries` documents and exports them.
 *
 * @since 0.1.0
 */
import { Account } from "@postpress/schema"
import * as Arbitrary from "effect/Arbitrary"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Realism from "./realism.js"

const realistic = <A, I>(schema: Schema.Schema<A, I>): FastCheck.Arbitrary<A> =>
  Arbitrary.make(Schema.make<A, I, never>(Realism.annotate(schema.ast, Realism.accountRules)))

/**
 * A realistic account of any of the 14 types.
 *
 * @internal
 */
export const account: FastCheck.Arbitrary<Account.Account> = realistic(Account.Account)

/**
 * A realistic account of one provider type.
 *
 * @internal
 */
export const accountOf = <T extends Account.AccountType>(type: T): FastCheck.Arbitrary<Account.AccountOfType<T>> =>
  realistic(Account.variantOf(type))

/**
 * One account of every provider type, in the spec's order.
 *
 * @internal
 */
export const oneOfEachType: FastCheck.Arbitrary<ReadonlyArray<Account.Account>> = FastCheck.tuple(
  ...Account.accountTypes.map((type) => accountOf(type) as FastCheck.Arbitrary<Account.Account>)
)

/**
 * `acc_` and a 26-character ULID.
 *
 * @internal
 */
export const accountId: FastCheck.Arbitrary<string> = Realism.prefixedId("acc")(FastCheck)
