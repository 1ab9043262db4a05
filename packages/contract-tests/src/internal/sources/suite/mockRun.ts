/**
 * The default run: the contract suite against the embedded mock (the
 * testkit's `MockServer`), with the mock's own fixtures (the key and account
 * ids of workspace 0, the ids of the other workspaces as foreign ids). The
 * suite's part of the configuration is decoded before the mock starts: a
 * configuration that cannot run starts nothing. The `ContractMock` face
 * exports it.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { ConfigRules } from "@postpress/schema"
import * as MockServer from "@postpress/testkit/MockServer"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { decodeWith } from "../../invalidConfig.js"
import type { Finished, SuiteEvent } from "../../report/events.js"
import type { ContractReport } from "../../report/model.js"
import { type ContractConfig, fields, fromDecoded, type Config as SuiteConfig, selectsACheck } from "./config.js"
import type { InvalidConfig } from "./errors.js"
import { reportOf, events as suiteEvents } from "./run.js"
import * as NodeTransport from "./transport.js"

/**
 * A contract configuration without a target: the mock provides it.
 *
 * @since 0.1.0
 * @category models
 */
export type MockRunConfig = Omit<ContractConfig, "baseUrl" | "apiKey"> & {
  /** Options of the embedded mock (its seed defaults to the run's seed). */
  readonly mock?: MockServer.Options | undefined
}

const { baseUrl: _baseUrl, apiKey: _apiKey, ...untargeted } = fields

/**
 * The suite's part of a mock run's configuration (every `Contract.Config`
 * field but `baseUrl` and `apiKey`, which the mock provides, and the
 * selection rule): decoded before the mock starts.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Config = ConfigRules.Struct(untargeted)
  .pipe(Schema.filter(selectsACheck))
  .annotations({ identifier: "ContractMock.Config" })

/** What a running mock offers a run: workspace 0's key and account ids, the other workspaces' ids as foreign ids. */
const fixturesOf = (mock: MockServer.MockServerInfo) => {
  const [own, ...others] = mock.workspaces
  return {
    apiKey: own?.apiKey ?? "",
    accountIds: own?.accountIds ?? [],
    foreignAccountIds: others.flatMap((ws) => ws.accountIds)
  }
}

/**
 * The contract configuration a running mock implies.
 *
 * @since 0.1.0
 * @category constructors
 */
export const configFor = (mock: MockServer.MockServerInfo, config: MockRunConfig = {}): ContractConfig => {
  const fixtures = fixturesOf(mock)
  return {
    ...config,
    baseUrl: mock.url,
    apiKey: fixtures.apiKey,
    accountIds: config.accountIds ?? fixtures.accountIds,
    foreignAccountIds: config.foreignAccountIds ?? fixtures.foreignAccountIds
  }
}

const MockTarget = ConfigRules.Struct({ baseUrl: fields.baseUrl, apiKey: fields.apiKey })

const decodeTarget = decodeWith(MockTarget)

/**
 * The suite's config for a run against a running mock, from a mock run's
 * config decoded already (the CLI's, or {@link events}'): the mock's base
 * URL and key, the account ids given, else the mock's (workspace 0's, and
 * the other workspaces' as foreign ids). Only the mock's own values are
 * decoded; the rest is taken as it is (the check selection is checked).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodedConfigFor = (
  mock: MockServer.MockServerInfo,
  config: Omit<SuiteConfig, "baseUrl" | "apiKey">,
  given: { readonly accountIds: boolean; readonly foreignAccountIds: boolean }
): Effect.Effect<SuiteConfig, InvalidConfig> => {
  const fixtures = fixturesOf(mock)
  return Effect.flatMap(decodeTarget({ baseUrl: mock.url, apiKey: fixtures.apiKey }), (target) =>
    fromDecoded({
      ...config,
      ...target,
      accountIds: given.accountIds ? config.accountIds : fixtures.accountIds,
      foreignAccountIds: given.foreignAccountIds ? config.foreignAccountIds : fixtures.foreignAccountIds
    })
  )
}

/**
 * The suite's events against the embedded mock, which lives as long as the
 * stream (stopped when it ends, fails or is interrupted). The config is
 * decoded once, before the mock starts: fails with `InvalidConfig` before
 * the mock starts, or with a `MockServerError` when the mock cannot start.
 *
 * @since 0.1.0
 * @category running
 */
export const events = (
  config: MockRunConfig = {}
): Stream.Stream<SuiteEvent | Finished, InvalidConfig | MockServer.MockServerError> =>
  Stream.unwrapScoped(
    Effect.gen(function* () {
      const decoded = yield* decodeWith(Config)(config)
      const mock = yield* MockServer.make({
        ...(decoded.seed === undefined ? {} : { seed: decoded.seed }),
        ...config.mock
      })
      const suite = yield* decodedConfigFor(mock, decoded, {
        accountIds: config.accountIds !== undefined,
        foreignAccountIds: config.foreignAccountIds !== undefined
      })
      return suiteEvents(suite).pipe(Stream.provideLayer(NodeTransport.layer))
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

/**
 * Starts the embedded mock, runs the suite against it and stops it (also on
 * failure or interruption): {@link events} folded to the report.
 *
 * @since 0.1.0
 * @category running
 */
export const runAgainstMock = (
  config: MockRunConfig = {}
): Effect.Effect<ContractReport, InvalidConfig | MockServer.MockServerError> => reportOf(events(config))
