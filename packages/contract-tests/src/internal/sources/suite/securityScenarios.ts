/**
 * The `security` group's scenarios: the probes of `security.ts` as requests
 * of the suite, each judged by its own check.
 *
 * Near-miss keys travel inside the probe as `Redacted` values (derived from
 * the real key, they are as secret as it) and only the request builder
 * unwraps them; a probe's `label` names the variant by kind.
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import type { Probe, Scenario } from "./probe.js"
import { encodeSegment } from "./request.js"
import {
  confusedPaths,
  headerNameVariants,
  judgeConfusedPath,
  judgeHeaderName,
  judgeKeyInQuery,
  judgeNearMiss,
  keyQueryParameters,
  nearMissKeys
} from "./security.js"

/**
 * What the security scenarios are built from.
 *
 * @since 0.1.0
 * @category models
 */
export interface SecurityInputs {
  /** The real key; without it `near_miss_keys` is not run. */
  readonly apiKey: Redacted.Redacted<string> | undefined
  /** Ids the key can read. */
  readonly knownIds: ReadonlyArray<string>
  /** Where credential probes go: a known id when there is one, else an unknown one. */
  readonly authTarget: string | undefined
}

const needsKnownId = "needs --account-id (or POSTPRESS_ACCOUNT_IDS)"

/**
 * `near_miss_keys`, `path_confusion`, `credential_placement`, in report order.
 *
 * @since 0.1.0
 * @category constructors
 */
export const securityScenarios = (inputs: SecurityInputs): ReadonlyArray<Scenario> => {
  const plan =
    inputs.apiKey === undefined
      ? ({ _tag: "Skip", reason: "no API key" } as const)
      : nearMissKeys(Redacted.value(inputs.apiKey))
  const target = inputs.authTarget
  const nearMiss: ReadonlyArray<Probe> =
    plan._tag === "Skip" || target === undefined
      ? []
      : plan.variants.map((variant) => ({
          id: target,
          credentials: "invalid",
          key: Redacted.make(variant.key),
          label: variant.kind
        }))
  // Two known accounts at most: one confused path served is enough to tell.
  const confused: ReadonlyArray<Probe> = inputs.knownIds.slice(0, 2).flatMap((id) =>
    confusedPaths(encodeSegment(id), id).map((path) => ({
      id,
      credentials: "valid" as const,
      segment: path.segment,
      label: path.kind
    }))
  )
  const known = inputs.knownIds[0]
  const placements: ReadonlyArray<Probe> = [
    ...(target === undefined
      ? []
      : keyQueryParameters.map((parameter) => ({
          id: target,
          credentials: "missing" as const,
          keyQuery: parameter,
          label: parameter
        }))),
    ...(known === undefined
      ? []
      : headerNameVariants().map((name) => ({
          id: known,
          credentials: "valid" as const,
          keyHeader: name,
          label: name
        })))
  ]
  return [
    {
      check: "near_miss_keys",
      probes: nearMiss,
      notRunNote: plan._tag === "Skip" ? plan.reason : "no id to request",
      ...(plan._tag === "Run" && plan.note !== undefined ? { note: plan.note } : {}),
      judge: (probe, status, json) => judgeNearMiss(probe.label ?? "a near-miss key", status, json)
    },
    {
      check: "path_confusion",
      probes: confused,
      notRunNote: needsKnownId,
      judge: (probe, status, json) => judgeConfusedPath(probe.label ?? "a confused path", probe.id, status, json)
    },
    {
      check: "credential_placement",
      probes: placements,
      notRunNote: "no id to request",
      ...(known === undefined ? { note: `header-name probes left out: ${needsKnownId}` } : {}),
      judge: (probe, status, json) =>
        probe.keyQuery !== undefined
          ? judgeKeyInQuery(probe.keyQuery, status, json)
          : judgeHeaderName(probe.keyHeader ?? "", status, json)
    }
  ]
}
