/**
 * The exported arbitraries inside the consumer's own property tests.
 */
import { test } from "@fast-check/vitest"
import { AccountDecoder } from "@postpress/schema"
import { Arbitraries } from "@postpress/testkit"
import { Either } from "effect"
import { expect } from "vitest"

// Code under test in this service: a summary line for any account.
const summarise = (raw: unknown): string => {
  const result = AccountDecoder.decodeEither(raw)
  return Either.isRight(result) ? `${result.right.type}:${result.right.id}` : "invalid"
}

test.prop([Arbitraries.account])("summarises every valid account", (account) => {
  expect(summarise(JSON.parse(JSON.stringify(account)))).toBe(`${account.type}:${account.id}`)
})

test.prop([Arbitraries.invalidAccount])("flags every account broken in one place", ({ value }) => {
  expect(summarise(value)).toBe("invalid")
})
