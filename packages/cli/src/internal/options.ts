/**
 * Flags that mean the same thing in every command, declared once: same name,
 * same grammar, same environment fallback.
 *
 * @internal
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as BaseUrl from "@postpress/schema/BaseUrl"
import * as BodyLimit from "@postpress/schema/BodyLimit"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as DurationFlag from "./duration.js"
import { beforeDoubleDash } from "./invocation.js"

/** A usage error with our own one-line message. */
export const invalid = (message: string) => Effect.fail(ValidationError.invalidValue(HelpDoc.p(message)))

/** `--NAME DURATION` in the one grammar; `positive` refuses zero. */
export const duration = (name: string, options: { readonly positive: boolean }) =>
  Options.text(name).pipe(
    Options.withPseudoName("DURATION"),
    Options.mapEffect((text) =>
      Option.match(
        Option.filter(DurationFlag.parse(text), (d) => !options.positive || Duration.greaterThan(d, Duration.zero)),
        {
          onNone: () =>
            invalid(
              `--${name}: expected a ${options.positive ? "positive " : ""}duration like ${DurationFlag.examples}; got ${JSON.stringify(text)}`
            ),
          onSome: (d) => Effect.succeed(d)
        }
      )
    )
  )

/** `--base-url URL`, falling back to `POSTPRESS_BASE_URL`. */
export const baseUrl = (description: string) =>
  Options.text("base-url").pipe(
    Options.withPseudoName("URL"),
    Options.withDescription(description),
    Options.withFallbackConfig(Config.string("POSTPRESS_BASE_URL")),
    Options.optional,
    // An empty variable (common in CI templates) counts as unset.
    Options.map(Option.filter((url) => url.trim() !== ""))
  )

/**
 * A `--base-url` (or `POSTPRESS_BASE_URL`) checked by THE rule (`BaseUrl`
 * from `@postpress/schema`): its normal form, or the rule's message for the
 * defect prefixed with where the text came from (`--base-url: must not have
 * a query (?)`, `POSTPRESS_BASE_URL: …` when the flag was not typed), the
 * same message the client and the proxy give.
 */
export const checkBaseUrl = (text: string, argv: ReadonlyArray<string>): Either.Either<BaseUrl.BaseUrl, string> => {
  const typed = beforeDoubleDash(argv).some((arg) => arg === "--base-url" || arg.startsWith("--base-url="))
  return Either.mapLeft(BaseUrl.parse(text), (defect) => `${typed ? "--base-url" : "POSTPRESS_BASE_URL"}: ${defect}`)
}

/** `--timeout DURATION`: the per-request (per-attempt) time limit. */
export const timeout = (description: string) =>
  duration("timeout", { positive: true }).pipe(Options.withDescription(description), Options.optional)

/** An optional whole-number flag shown as `--name N`. */
export const count = (name: string, description: string) =>
  Options.integer(name).pipe(Options.withPseudoName("N"), Options.withDescription(description), Options.optional)

/** `--seed N`: the seed of everything generated. */
export const seed = (description: string) => count("seed", description)

/** What the size grammar (`BodyLimit.parseSize`) accepts, for help text. */
export const sizeExamples = "1048576, 512KiB, 16MiB, 1GiB, 10MB"

/**
 * `--max-body-size SIZE` (default 16 MiB), shared by `contract`, `contract
 * proxy` and `contract har`: answers over it are not judged. The grammar and
 * the default are `BodyLimit`'s, the one place that knows about body limits.
 */
export const maxBodySize = Options.text("max-body-size").pipe(
  Options.withPseudoName("SIZE"),
  Options.withDescription(`Answers with a bigger body are not judged, e.g. ${sizeExamples} (default 16MiB)`),
  Options.mapEffect((text) =>
    Either.match(BodyLimit.parseSize(text), {
      onLeft: (reason) => invalid(`--max-body-size: ${reason}`),
      onRight: (bytes) => Effect.succeed(bytes)
    })
  ),
  Options.withDefault(BodyLimit.defaultMaxBytes)
)
