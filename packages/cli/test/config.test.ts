/**
 * Flags decode into the libraries' ONE config Schema per entry point: a value
 * a rule refuses gives the CLI line `<flag>: <the rule's own message>`
 * (`ConfigRules` of `@postpress/schema`, the mock's included), the message
 * computed here from the library's Schema itself, so a rule changed in the
 * library changes the CLI's line with it. Nothing is started or sent.
 */
import * as Contract from "@postpress/contract-tests/Contract"
import * as ContractHar from "@postpress/contract-tests/ContractHar"
import * as ContractProxy from "@postpress/contract-tests/ContractProxy"
import * as MockServer from "@postpress/testkit/MockServer"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { ExitCode } from "../src/internal/exitCode.js"
import { runInProcess } from "./support/inProcess.js"
import { oneLine } from "./support/program.js"

/** The message `schema`'s rule gives for `input`, at `field`. */
const ruleMessage = <A, I>(schema: Schema.Schema<A, I>, input: unknown, field: string): string => {
  const result = Schema.decodeUnknownEither(schema)(input)
  if (Either.isRight(result)) throw new Error(`${field}: the library accepted ${JSON.stringify(input)}`)
  const issue = ParseResult.ArrayFormatter.formatErrorSync(result.left).find((i) => i.path[0] === field)
  if (issue === undefined) throw new Error(`${field}: no issue at that path`)
  return issue.message
}

const key = "pp_test_config_key_1234"
const suite = { baseUrl: "http://127.0.0.1:9/api", apiKey: Redacted.make(key) }

const cases: ReadonlyArray<{
  readonly args: ReadonlyArray<string>
  readonly line: () => string
}> = [
  {
    args: ["contract", "--base-url", "http://127.0.0.1:9/api", "--concurrency", "0"],
    line: () =>
      `postpress contract: --concurrency: ${ruleMessage(Contract.Config, { ...suite, concurrency: 0 }, "concurrency")}`
  },
  {
    args: ["contract", "--base-url", "http://127.0.0.1:9/api", "--account-id", "acc_\uD800"],
    line: () =>
      `postpress contract: --account-id: ${ruleMessage(Contract.Config, { ...suite, accountIds: ["acc_\uD800"] }, "accountIds")}`
  },
  {
    args: ["contract", "--exclude-checks", "spec,nope"],
    line: () =>
      `postpress contract: --exclude-checks: ${ruleMessage(Contract.Config, { ...suite, excludeChecks: ["spec", "nope"] }, "excludeChecks")}`
  },
  {
    args: ["contract", "proxy", "--target", "http://127.0.0.1:9/api", "--port", "70000"],
    line: () =>
      `postpress contract proxy: --port: ${ruleMessage(ContractProxy.Config, { target: "http://127.0.0.1:9/api", port: 70000 }, "port")}`
  },
  {
    args: ["contract", "proxy", "--target", "http://127.0.0.1:9/api", "--max-requests", "0"],
    line: () =>
      `postpress contract proxy: --max-requests: ${ruleMessage(ContractProxy.Config, { target: "http://127.0.0.1:9/api", maxRequests: 0 }, "maxRequests")}`
  },
  {
    args: ["contract", "proxy", "--target", "ftp://127.0.0.1:9/api"],
    line: () =>
      `postpress contract proxy: --target: ${ruleMessage(ContractProxy.Config, { target: "ftp://127.0.0.1:9/api" }, "target")}`
  },
  {
    args: ["contract", "har", "--max-body-size", "12XB", "x.har"],
    line: () =>
      `postpress contract har: --max-body-size: ${ruleMessage(ContractHar.Config, { files: ["x.har"], maxBodyBytes: "12XB" }, "maxBodyBytes")}`
  },
  {
    args: ["mock", "--workspaces", "9"],
    line: () => `postpress mock: --workspaces: ${ruleMessage(MockServer.Config, { workspaces: 9 }, "workspaces")}`
  },
  {
    args: ["mock", "--faults", "503,418"],
    line: () => `postpress mock: --faults: ${ruleMessage(MockServer.Config, { faults: [503, 418] }, "faults")}`
  }
]

describe("a flag's value is judged by the library's config Schema, in its words", () => {
  it.each(cases)("$args", async ({ args, line }) => {
    const result = await runInProcess(args, { POSTPRESS_API_KEY: key })
    expect(result.code).toBe(ExitCode.usage)
    expect(result.stdout).toBe("")
    expect(oneLine(result.stderr)).toBe(line())
  })

  it("a value from the environment is named after its variable", async () => {
    const result = await runInProcess(["contract"], {
      POSTPRESS_BASE_URL: "http://127.0.0.1:9/api",
      POSTPRESS_API_KEY: key,
      POSTPRESS_ACCOUNT_IDS: "acc_1, ,acc_\uD800"
    })
    expect(result.code).toBe(ExitCode.usage)
    expect(oneLine(result.stderr)).toMatch(/^postpress contract: POSTPRESS_ACCOUNT_IDS: /)
  })

  it("a value the grammar cannot read is named with what it accepts, before the library sees it", async () => {
    const [seed, latency, faults] = await Promise.all([
      runInProcess(["contract", "--seed", "1e3"]),
      runInProcess(["mock", "--latency", "fast"]),
      runInProcess(["mock", "--faults", "503,teapot"])
    ])
    expect(oneLine(seed.stderr)).toBe('postpress contract: --seed: expected a whole number, got "1e3"')
    expect(oneLine(latency.stderr)).toBe(
      'postpress mock: --latency: expected a duration like 500ms, 2s, 1.5s, 1m, 1h, got "fast"'
    )
    expect(oneLine(faults.stderr)).toBe(
      'postpress mock: --faults: expected comma-separated whole numbers, got "503,teapot"'
    )
  })
})
