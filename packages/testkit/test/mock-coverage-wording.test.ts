/**
 * The coverage summary reads as English for every account type and every
 * count: "never served an ICLOUD account", "a SLACK account", "(1 request)".
 * Account types are read as the providers' names, as words ("an iCloud",
 * "an Outlook", "an Exchange", "an Instagram"): a vowel letter takes "an".
 * The expected articles are written out here, not derived from the rule.
 */
import { Account, AccountsApi, Printable } from "@postpress/schema"
import { describe, expect, it } from "vitest"
import * as MockCoverage from "../src/MockCoverage.js"
import type { RunningMockServer } from "../src/MockServer.js"
import { useMocks } from "./support/mocks.js"

const { start } = useMocks()
// The rules the coverage lines are made with (they live in @postpress/schema, for every package).
const { plural, withArticle } = Printable

/** Every account type with the article a person reads it with. */
const articles: Record<Account.AccountType, "a" | "an"> = {
  MOBILE: "a",
  MAIL: "a",
  GOOGLE_OAUTH: "a",
  ICLOUD: "an",
  OUTLOOK: "an",
  GOOGLE_CALENDAR: "a",
  WHATSAPP: "a",
  LINKEDIN: "a",
  SLACK: "a",
  TWITTER: "a",
  EXCHANGE: "an",
  TELEGRAM: "a",
  INSTAGRAM: "an",
  MESSENGER: "a"
}

const requestOne = async (mock: RunningMockServer) => {
  const ws = mock.workspaces[0]!
  const res = await fetch(`${mock.url}/v1/accounts/${encodeURIComponent(ws.accountIds[0]!)}`, {
    headers: { [AccountsApi.apiKeyHeader]: ws.apiKey }
  })
  await res.arrayBuffer()
  expect(res.status).toBe(200)
}

describe("the coverage summary's grammar", () => {
  it("every account type the schema knows has its article here", () => {
    expect(Object.keys(articles).sort()).toEqual([...Account.accountTypes].sort())
  })

  it("names every missing account type with the right article", async () => {
    const mock = await start()
    const lines = MockCoverage.summaryLines(await mock.coverage(), mock.workspaces)
    for (const type of Account.accountTypes) {
      const line = lines.find((l) => l.includes(` ${type} account:`))
      expect(line, type).toMatch(new RegExp(`^never served ${articles[type]} ${type} account: `))
    }
    // No line anywhere says "a" before a vowel ("a ICLOUD", "a object").
    for (const line of lines) expect(line).not.toMatch(/\ba [AEIOUaeiou]/)
  })

  it("counts requests in the singular for one and the plural otherwise", async () => {
    const mock = await start()
    expect(MockCoverage.summaryLines(await mock.coverage())[0]).toMatch(/\(0 requests\)$/)
    await requestOne(mock)
    expect(MockCoverage.summaryLines(await mock.coverage())[0]).toMatch(/\(1 request\)$/)
    await requestOne(mock)
    expect(MockCoverage.summaryLines(await mock.coverage())[0]).toMatch(/\(2 requests\)$/)
  })

  it("the helpers: an article by the first letter, read as a word; a noun that agrees with its count", () => {
    expect(Account.accountTypes.map(withArticle)).toEqual(
      Account.accountTypes.map((type) => `${articles[type]} ${type}`)
    )
    expect(["account", "error", "retry after 503"].map(withArticle)).toEqual([
      "an account",
      "an error",
      "a retry after 503"
    ])
    expect([0, 1, 2].map((n) => plural(n, "body", "bodies"))).toEqual(["0 bodies", "1 body", "2 bodies"])
  })
})
