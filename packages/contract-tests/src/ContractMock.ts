/**
 * The default run: the contract suite against the embedded mock server,
 * using the mock's own fixtures (key, account ids of workspace 0, and the
 * ids of the other workspaces as foreign ids). This is what `pnpm contract`
 * does without `--base-url`.
 *
 * @since 0.1.0
 */

import {
  layer,
  MockServer,
  type MockServerError,
  type MockServerInfo,
  type Options
} from "@postpress/testkit/MockServer"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { ContractReport } from "./internal/report/model.js"
import type { ContractError } from "./internal/sources/suite/errors.js"
import { type ContractConfig, runContract } from "./internal/sources/suite/run.js"

/**
 * A contract configuration without a target: the mock provides it.
 *
 * @since 0.1.0
 * @category models
 */
export type MockRunConfig = Omit<ContractConfig, "baseUrl" | "apiKey"> & {
  /** Options of the embedded mock (its seed defaults to the run's seed). */
  readonly mock?: Options | undefined
}

/**
 * The contract configuration a running mock implies.
 *
 * @since 0.1.0
 * @category constructors
 */
export const configFor = (mock: MockServerInfo, config: MockRunConfig = {}): ContractConfig => {
  const [own, ...others] = mock.workspaces
  return {
    ...config,
    baseUrl: mock.url,
    apiKey: own?.apiKey ?? "",
    accountIds: config.accountIds ?? own?.accountIds ?? [],
    foreignAccountIds: config.foreignAccountIds ?? others.flatMap((ws) => ws.accountIds)
  }
}

/**
 * Starts the embedded mock (`MockServer.layer`), runs the suite against it
 * and stops it (also on failure or interruption). Fails with a
 * `MockServerError` when the mock cannot start.
 *
 * @since 0.1.0
 * @category running
 */
export const runAgainstMock = (
  config: MockRunConfig = {}
): Effect.Effect<ContractReport, ContractError | MockServerError> =>
  Effect.flatMap(MockServer, (mock) => runContract(configFor(mock, config))).pipe(
    Effect.provide(
      Layer.provide(
        layer({ ...(config.seed === undefined ? {} : { seed: config.seed }), ...config.mock }),
        NodeFileSystem.layer
      )
    )
  )
