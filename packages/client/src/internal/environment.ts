/**
 * The client's environment variables, read through `Config`: the key
 * (required, redacted) and the base URL, decoded by `BaseUrl` of
 * `@postpress/schema` (the one base-URL rule), and how their failures become
 * the client's typed errors.
 *
 * @internal
 */
import { BaseUrl } from "@postpress/schema"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as ClientError from "../ClientError.js"

const keyVariable = "POSTPRESS_API_KEY"
const baseUrlVariable = "POSTPRESS_BASE_URL"

/** @internal */
export const config: Config.Config<{
  readonly apiKey: Redacted.Redacted<string>
  readonly baseUrl: BaseUrl.BaseUrl
}> = Config.all({
  apiKey: Config.redacted(keyVariable).pipe(
    Config.mapOrFail((key) =>
      Redacted.value(key) === ""
        ? Either.left(ConfigError.MissingData([keyVariable], `${keyVariable} is empty`))
        : Either.right(key)
    )
  ),
  // An empty variable (common in CI templates) counts as unset.
  baseUrl: Config.string(baseUrlVariable).pipe(
    Config.withDefault(""),
    Config.mapOrFail((url) =>
      Either.mapLeft(BaseUrl.parse(url.trim() === "" ? BaseUrl.defaultBaseUrl : url), (defect) =>
        ConfigError.InvalidData([baseUrlVariable], defect)
      )
    )
  )
})

const missingKey = new ClientError.MissingConfig({ variable: keyVariable, what: "your postpress API key" })

const invalidBaseUrl = (error: ConfigError.ConfigError): error is ConfigError.InvalidData =>
  error._op === "InvalidData" && error.path.join(".") === baseUrlVariable

/**
 * {@link config}, a missing key as `MissingConfig` (only the key can be
 * missing: the base URL has a default), a refused base URL as
 * `InvalidArgument` naming the variable with `BaseUrl`'s message.
 *
 * @internal
 */
export const read: Effect.Effect<
  Config.Config.Success<typeof config>,
  ClientError.MissingConfig | ClientError.InvalidArgument | ConfigError.ConfigError
> = Effect.catchAll(
  config,
  (error): Effect.Effect<never, ClientError.MissingConfig | ClientError.InvalidArgument | ConfigError.ConfigError> =>
    ConfigError.isMissingDataOnly(error)
      ? Effect.fail(missingKey)
      : invalidBaseUrl(error)
        ? Effect.fail(new ClientError.InvalidArgument({ argument: baseUrlVariable, reason: error.message }))
        : Effect.fail(error)
)
