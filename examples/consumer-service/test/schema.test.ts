/**
 * A service validating postpress payloads with @postpress/schema: the Effect
 * way, the Standard Schema way, and with the JSON Schema through ajv.
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { Account, AccountDecoder, DecodeIssue, SpecExample } from "@postpress/schema"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"

const payload: unknown = JSON.parse(JSON.stringify(SpecExample.retrieveAccountResponse))
const broken: unknown = { ...(payload as object), created_at: "2025-02-30T10:00:00.000Z" }

describe("validating a payload", () => {
  it("the Effect way", async () => {
    const account = await Effect.runPromise(AccountDecoder.decode(payload))
    const username = Account.match({
      MOBILE: () => "",
      MAIL: () => "",
      GOOGLE_OAUTH: () => "",
      ICLOUD: () => "",
      OUTLOOK: () => "",
      GOOGLE_CALENDAR: () => "",
      WHATSAPP: () => "",
      LINKEDIN: (a) => a.connection_params.im.username,
      SLACK: () => "",
      TWITTER: () => "",
      EXCHANGE: () => "",
      TELEGRAM: () => "",
      INSTAGRAM: () => "",
      MESSENGER: () => ""
    })(account)
    expect(username).toBe("anna-doe")

    const failure = AccountDecoder.decodeEither(broken)
    if (Either.isRight(failure)) throw new Error("a Feb 30 datetime was accepted")
    expect(DecodeIssue.format(failure.left)).toMatch(/^created_at: expected an ISO 8601 UTC datetime/)
  })

  it("the Standard Schema way", async () => {
    const standard = AccountDecoder.standardSchema["~standard"]
    expect(standard.version).toBe(1)
    expect((await standard.validate(payload)).issues).toBeUndefined()
    const result = await standard.validate(broken)
    expect(result.issues?.map((i) => i.path)).toEqual([["created_at"]])
  })

  it("with the published JSON Schema and ajv", () => {
    const require = createRequire(import.meta.url)
    const schema = JSON.parse(
      readFileSync(require.resolve("@postpress/schema/json-schema/account.schema.json"), "utf8")
    )
    const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default
    const ajv = new Ajv2020({ strict: false })
    addFormats(ajv)
    const validate = ajv.compile(schema)
    expect(validate(payload)).toBe(true)
    expect(validate({ ...(payload as object), field_added_next_year: true })).toBe(true)
    expect(validate(broken)).toBe(false)
  })
})
