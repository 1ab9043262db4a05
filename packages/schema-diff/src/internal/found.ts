/**
 * A change as the comparison finds it, before its counterexample is looked
 * for: its rule, where it is, what it says, and how to aim the generator at
 * it (the bias) and where OLD is expected to complain.
 *
 * @internal
 */
import type { Json, Step } from "./json.js"
import type { RuleId, Severity } from "./rules.js"

/**
 * How to aim the generator at a change, at the end of its path:
 * - `leaf`: generate the value there from this schema (values NEW allows and OLD does not);
 * - `omit`: the object there leaves this property out;
 * - `extra`: the object there carries this property it does not name (any value), or some such property;
 * - `reach`: only reach the place (the variant, the property) and generate from NEW.
 */
export type Bias =
  | { readonly _tag: "leaf"; readonly schema: Json }
  | { readonly _tag: "omit"; readonly name: string }
  | { readonly _tag: "extra"; readonly name: string | undefined }
  | { readonly _tag: "reach" }

export interface Found {
  readonly rule: RuleId
  /** `search`: breaking if a counterexample is found, narrowing otherwise. */
  readonly severity: Severity | "search"
  /** The operation (`GET /v1/accounts/{id}`) or `document`. */
  readonly subject: string
  readonly steps: ReadonlyArray<Step>
  /** Where in OLD and NEW (pointers): with the rule and description, what makes two findings one change. */
  readonly where: string
  readonly description: string
  readonly bias: Bias
  /** The place (in an instance) where OLD should reject a counterexample. */
  readonly errorAt: ReadonlyArray<Step>
  /** For error types: the type and its status tier (to pair a removal and an addition as a move). */
  readonly errorType?: { readonly value: Json; readonly tier: Json }
}
