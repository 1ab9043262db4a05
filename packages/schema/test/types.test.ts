/**
 * Type-level tests of the public types: `tsc -b` (part of `pnpm test`) fails
 * when one of these no longer holds.
 */
import type { Account, ApiError, ErrorCatalogue, ErrorEnvelope } from "@postpress/schema"
import { AccountDecoder } from "@postpress/schema"
import { Effect } from "effect"
import { describe, expectTypeOf, it } from "vitest"

describe("public types", () => {
  it("Account narrows on type", () => {
    const narrow = (a: Account.Account) => {
      if (a.type === "LINKEDIN") {
        expectTypeOf(a).toEqualTypeOf<Account.LinkedInAccount>()
        expectTypeOf(a.connection_params.im.premiumId).toEqualTypeOf<string | null>()
        expectTypeOf(a.connection_params.im.premiumFeatures).toEqualTypeOf<
          ReadonlyArray<"recruiter" | "sales_navigator" | "premium"> | undefined
        >()
        expectTypeOf(a.connection_params.im.proxy?.source).toEqualTypeOf<"USER" | undefined>()
      }
      if (a.type === "MOBILE") expectTypeOf(a.last_fetched_at).toEqualTypeOf<string | undefined>()
      if (a.type === "MAIL") {
        expectTypeOf(a.connection_params.mail.imap_encryption).toEqualTypeOf<
          "tls" | "ssl" | "starttls" | "default" | undefined
        >()
      }
    }
    expectTypeOf(narrow).toBeFunction()
  })

  it("AccountType is the literal union of the 14 types", () => {
    expectTypeOf<Account.AccountType>().toEqualTypeOf<
      | "MOBILE"
      | "MAIL"
      | "GOOGLE_OAUTH"
      | "ICLOUD"
      | "OUTLOOK"
      | "GOOGLE_CALENDAR"
      | "WHATSAPP"
      | "LINKEDIN"
      | "SLACK"
      | "TWITTER"
      | "EXCHANGE"
      | "TELEGRAM"
      | "INSTAGRAM"
      | "MESSENGER"
    >()
    expectTypeOf<Account.AccountOfType<"SLACK">>().toEqualTypeOf<Account.SlackAccount>()
  })

  it("optional fields are exact (no explicit undefined)", () => {
    expectTypeOf<Account.Account>().toHaveProperty("current_signature")
    type Sig = Pick<Account.MailAccount, "current_signature">
    expectTypeOf<{ current_signature?: string }>().toExtend<Sig>()
    expectTypeOf<{ current_signature: undefined }>().not.toExtend<Sig>()
  })

  it("tier types and envelopes", () => {
    expectTypeOf<ErrorCatalogue.ErrorTypeOf<404>>().toEqualTypeOf<
      "errors/resource_not_found" | "errors/invalid_resource_identifier"
    >()
    expectTypeOf<ErrorEnvelope.ErrorEnvelopeOf<504>["type"]>().toEqualTypeOf<"errors/request_timeout">()
    expectTypeOf<ErrorEnvelope.ErrorEnvelopeOf<504>["status"]>().toEqualTypeOf<504>()
    expectTypeOf<ApiError.NotFound["type"]>().toEqualTypeOf<ErrorCatalogue.ErrorTypeOf<404>>()
    expectTypeOf<ApiError.ApiError["_tag"]>().toEqualTypeOf<
      "BadRequest" | "Unauthorized" | "NotFound" | "InternalServerError" | "ServiceUnavailable" | "GatewayTimeout"
    >()
  })

  it("decode returns an Effect of Account", () => {
    expectTypeOf(AccountDecoder.decode).returns.toEqualTypeOf<
      Effect.Effect<Account.Account, import("effect/ParseResult").ParseError>
    >()
    expectTypeOf(Effect.runSync).toBeFunction()
  })

  it("Account.match requires every type", () => {
    // @ts-expect-error MESSENGER (and others) missing
    const partial: Account.AccountCases<string> = { MOBILE: () => "m" }
    expectTypeOf(partial).not.toBeNever()
  })
})
