/**
 * Every entry point's config is decoded ONCE: the suite (`Contract.run`),
 * the proxy (`ContractProxy.run`) and the HAR reader (`ContractHar.read`)
 * take options or a decoded `Config`, and take a `Config` as it is (the CLI
 * decodes its flags into it, then passes it). What proves it: the
 * `invocation` a decoded config holds reaches the report as the SAME
 * object; decoding it again would build a new one (a Struct decodes to a
 * fresh object). Options are still decoded, with the same error.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { afterAll } from "vitest"
import * as Contract from "../src/Contract.js"
import { InvalidConfig } from "../src/ContractError.js"
import * as ContractHar from "../src/ContractHar.js"
import * as ContractMock from "../src/ContractMock.js"
import * as ContractProxy from "../src/ContractProxy.js"
import { KEY } from "./broken-servers/TinyServer.js"
import { harText } from "./support/har.js"
import { conformant, scripted } from "./support/memoryTransport.js"

const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "config-decoded-once-"))
afterAll(() => Fs.rmSync(tmp, { recursive: true, force: true }))

const invocation = { tool: "postpress", version: "0.0.0", argv: ["contract"], accountIds: ["acc_1"] }

describe("Contract.Config", () => {
  it.effect("a decoded Config is run as it is: its invocation reaches the report unchanged", () =>
    Effect.gen(function* () {
      const config = yield* Schema.decode(Contract.Config)({
        baseUrl: "http://api.test/api",
        apiKey: KEY,
        accountIds: ["acc_1"],
        checks: ["status_code"],
        runs: 0,
        seed: 1,
        invocation
      })
      expect(config).toBeInstanceOf(Contract.Config)
      const transport = yield* scripted(conformant(["acc_1"]))
      const report = yield* Contract.run(config).pipe(Effect.provide(transport.layer))
      expect(report.verdict).toBe("pass")
      expect(report.invocation).toBe(config.invocation)
      expect(yield* Contract.decode(config)).toBe(config)
    })
  )

  it.effect("options are still decoded, and refused with InvalidConfig naming the field", () =>
    Effect.gen(function* () {
      const transport = yield* scripted(conformant([]))
      const error = yield* Effect.flip(
        Contract.run({ baseUrl: "http://api.test/api?x=1", apiKey: KEY }).pipe(Effect.provide(transport.layer))
      )
      expect(error).toBeInstanceOf(InvalidConfig)
      expect(error.issues[0]?.path).toEqual(["baseUrl"])
      expect(yield* transport.sent).toEqual([])
    })
  )

  it.effect("fromDecoded checks the selection over decoded values, failing with InvalidConfig", () =>
    Effect.gen(function* () {
      const decoded = yield* Schema.decode(Contract.Config)({ baseUrl: "http://api.test/api", apiKey: KEY })
      const error = yield* Effect.flip(
        Contract.fromDecoded({ ...decoded, checks: ["spec"], excludeChecks: ["spec", "security"] })
      )
      expect(error).toBeInstanceOf(InvalidConfig)
      const refused = yield* Effect.flip(
        Contract.decode({
          baseUrl: "http://api.test/api",
          apiKey: KEY,
          checks: ["spec"],
          excludeChecks: ["spec", "security"]
        })
      )
      expect(error.message).toBe(refused.message)
    })
  )
})

describe("ContractMock", () => {
  it.effect(
    "a mock run's options are read by one decode, before the mock starts; the suite's config is not decoded again",
    () =>
      Effect.gen(function* () {
        let reads = 0
        const options: ContractMock.MockRunConfig = {
          runs: 0,
          checks: ["status_code"],
          seed: 3,
          // Read by every decode of the options (and by any copy of them): once, and only once.
          get invocation() {
            reads += 1
            return invocation
          }
        }
        const report = yield* ContractMock.runAgainstMock(options)
        expect(report.verdict).toBe("pass")
        expect(report.invocation).toEqual(invocation)
        expect(reads).toBe(1)
      })
  )

  it.effect("decodedConfigFor: the mock's target and ids, the ids given kept, the selection still checked", () =>
    Effect.gen(function* () {
      const mock = {
        url: "http://127.0.0.1:9/",
        workspaces: [
          { apiKey: KEY, accountIds: ["acc_own"] },
          { apiKey: `${KEY}_2`, accountIds: ["acc_other"] }
        ]
      } as unknown as Parameters<typeof ContractMock.decodedConfigFor>[0]
      const decoded = yield* Schema.decode(ContractMock.Config)({ foreignAccountIds: ["acc_given"] })
      const config = yield* ContractMock.decodedConfigFor(mock, decoded, { accountIds: false, foreignAccountIds: true })
      expect(config).toBeInstanceOf(Contract.Config)
      expect(config).toMatchObject({
        baseUrl: "http://127.0.0.1:9",
        accountIds: ["acc_own"],
        foreignAccountIds: ["acc_given"]
      })
      const nothing = { ...decoded, checks: ["spec"] as const, excludeChecks: ["spec", "security"] as const }
      const error = yield* Effect.flip(
        ContractMock.decodedConfigFor(mock, nothing, { accountIds: false, foreignAccountIds: true })
      )
      expect(error).toBeInstanceOf(InvalidConfig)
    })
  )
})

describe("ContractProxy.Config", () => {
  it.effect("a decoded Config is run as it is: its invocation reaches the report unchanged", () =>
    Effect.gen(function* () {
      const config = yield* Schema.decode(ContractProxy.Config)({ target: "http://127.0.0.1:9/api", invocation })
      expect(config).toBeInstanceOf(ContractProxy.Config)
      // Stopped at once: nothing judged, the report still says how it was started.
      const report = yield* ContractProxy.run(config, { until: Effect.void })
      expect(report.verdict).toBe("inconclusive")
      expect(report.invocation).toBe(config.invocation)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.effect("options are still decoded, and refused with InvalidConfig naming the field", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(ContractProxy.run({ target: "http://127.0.0.1:9/api", port: 70000 }))
      expect(error).toBeInstanceOf(ContractProxy.InvalidConfig)
      expect((error as ContractProxy.InvalidConfig).issues.map((i) => i.path)).toEqual([["port"]])
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})

describe("ContractHar.Config", () => {
  const file = Path.join(tmp, "empty.har")
  Fs.writeFileSync(file, harText([]))

  it.effect("a decoded Config is read as it is: its invocation reaches the report unchanged", () =>
    Effect.gen(function* () {
      const config = yield* Schema.decode(ContractHar.Config)({ files: [file], invocation })
      expect(config).toBeInstanceOf(ContractHar.Config)
      const report = yield* ContractHar.read(config)
      expect(report.verdict).toBe("inconclusive")
      expect(report.invocation).toBe(config.invocation)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.effect("options are still decoded, and refused with InvalidConfig naming the field", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(ContractHar.read({ files: [] }))
      expect(error).toBeInstanceOf(ContractHar.InvalidConfig)
      expect((error as ContractHar.InvalidConfig).message).toBe("files: expected at least one HAR file path, got []")
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})
