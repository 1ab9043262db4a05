/**
 * The secrets a traffic session collects: every `X-API-KEY` repeat, comma-
 * folded values and key-like query values; masked together in one pass; an
 * exchange's own keys masked in its outputs even once the bounded set is full.
 */
import { describe, expect, it } from "vitest"
import * as Secrets from "../src/internal/judge/secrets.js"

describe("proxy secrets", () => {
  it("collects every X-API-KEY repeat, folded values and api_key / x-api-key query values", () => {
    const found = Secrets.ofRequest(
      ["X-API-KEY", "pp_live_AAAAAAAAAA", "x-api-key", "pp_live_BBBBBBBBBB, pp_live_CCCCCCCCCC", "Accept", "*/*"],
      "/api/v1/accounts/acc_1?api_key=pp_live_DDDD%2BDDDDD&X-Api-Key=pp_live_EEEEEEEEEE&other=pp_live_not_a_key"
    )
    expect(found).toEqual(
      expect.arrayContaining([
        "pp_live_AAAAAAAAAA",
        "pp_live_BBBBBBBBBB",
        "pp_live_CCCCCCCCCC",
        "pp_live_DDDD+DDDDD",
        "pp_live_DDDD%2BDDDDD",
        "pp_live_EEEEEEEEEE"
      ])
    )
    expect(found).not.toContain("pp_live_not_a_key")
  })

  it("collects the credentials of an Authorization header: a bearer token, a Basic pair and its password", () => {
    const basic = Buffer.from("svc-user:pp_live_BASIC_PASS_1").toString("base64")
    const found = Secrets.ofRequest(
      ["Authorization", "Bearer pp_live_BEARER_TOKEN_1", "Proxy-Authorization", `Basic ${basic}`],
      "/api/v1/accounts/acc_1"
    )
    expect(found).toEqual(
      expect.arrayContaining(["pp_live_BEARER_TOKEN_1", "svc-user:pp_live_BASIC_PASS_1", "pp_live_BASIC_PASS_1"])
    )
    const secrets = Secrets.make(undefined)
    for (const secret of found) secrets.add(secret)
    expect(
      secrets.mask(
        `authorization: Basic ${basic}; echo ${encodeURIComponent(encodeURIComponent("pp_live_BEARER_TOKEN_1"))}`
      )
    ).toBe("authorization: Basic ***; echo ***")
  })

  it("two keys with a shared prefix are both masked whole, whichever was seen first", () => {
    const secrets = Secrets.make("pp_live_SHARED_A1")
    secrets.add("pp_live_SHARED_A1B2C3D4")
    expect(secrets.mask("a=pp_live_SHARED_A1B2C3D4 b=pp_live_SHARED_A1")).toBe("a=*** b=***")
  })

  it("an exchange's own key is masked in its outputs even when the bounded set is full", () => {
    const secrets = Secrets.make(undefined, 2)
    secrets.add("first_key_0000")
    secrets.add("second_key_000")
    secrets.add("third_key_0000")
    expect(secrets.size()).toBe(2)
    expect(secrets.mask("key third_key_0000")).toBe("key third_key_0000")
    expect(secrets.maskWith(["third_key_0000"])("key third_key_0000")).toBe("key ***")
  })

  it("a key seen after a text was masked: what an earlier key's cut-short match left of it is masked too", () => {
    const secrets = Secrets.make("pp_live_FIRST_KEY_0001")
    const early = secrets.mask("GET /v1/accounts/pp_live_LATE_KEY_00002")
    expect(early).toBe("GET /v1/accounts/***LATE_KEY_00002")
    secrets.add("pp_live_LATE_KEY_00002")
    expect(secrets.mask(early)).toBe("GET /v1/accounts/***")
    expect(secrets.mask("id pp_live_LATE_KEY_00002")).toBe("id ***")
  })
})
