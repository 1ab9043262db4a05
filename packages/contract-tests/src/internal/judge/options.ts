/**
 * How traffic is judged, as config fields: what the validating proxy's
 * options and the HAR reader's share (the judge's own knobs, whichever
 * source the exchanges come from), each rule `ConfigRules`'.
 *
 * @since 0.1.0
 */
import { BodyLimit, ConfigRules } from "@postpress/schema"
import * as Schema from "effect/Schema"

/**
 * The fields `ContractProxy.Config` and `ContractHar.Config` share.
 *
 * @internal
 */
export const trafficJudging = {
  strict: Schema.optionalWith(ConfigRules.Flag, { default: () => false }).annotations({
    description: "Reject unknown fields (default: accept them and report them as drift)."
  }),
  failOnDrift: Schema.optionalWith(ConfigRules.Flag, { default: () => false }).annotations({
    description: "Unknown fields fail the verdict."
  }),
  unknownTypes: Schema.optionalWith(ConfigRules.UnknownTypes, { default: () => "fail" as const }).annotations({
    description:
      "An account type none of the 14: a `response_schema` violation (`fail`, the default), or drift, named (`keep`)."
  }),
  apiKey: Schema.optional(ConfigRules.ApiKey).annotations({
    description: "A key to look for in responses and to mask, besides every key the traffic carries."
  }),
  maxBodyBytes: Schema.optionalWith(ConfigRules.ByteSize, { default: () => BodyLimit.defaultMaxBytes }).annotations({
    description: "Bodies over this are not judged (default 16 MiB; `16MiB` as text too)."
  })
}
