/**
 * Flags that mean the same thing in every command, declared once: same name,
 * same grammar, same environment fallback.
 *
 * @internal
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as DurationFlag from "./duration.js"

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

/** `--timeout DURATION`: the per-request (per-attempt) time limit. */
export const timeout = (description: string) =>
  duration("timeout", { positive: true }).pipe(Options.withDescription(description), Options.optional)

/** An optional whole-number flag shown as `--name N`. */
export const count = (name: string, description: string) =>
  Options.integer(name).pipe(Options.withPseudoName("N"), Options.withDescription(description), Options.optional)

/** `--seed N`: the seed of everything generated. */
export const seed = (description: string) => count("seed", description)

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3
}

/** What the size grammar accepts, for error messages and help text. */
export const sizeExamples = "1048576, 512KiB, 16MiB, 1GiB, 10MB"

/** The body limit when `--max-body-size` is not given: 16 MiB. */
export const defaultMaxBodyBytes = 16 * 1024 * 1024

/**
 * A byte size as users type it: a whole number of bytes, or a number with a
 * unit (B, KB/MB/GB = powers of 1000, KiB/MiB/GiB = powers of 1024; any letter
 * case). `None` for anything else, zero, or a size past 2^53.
 */
export const parseSize = (input: string): Option.Option<number> => {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(input.trim())
  if (match === null) return Option.none()
  const unit = (match[2] ?? "").toLowerCase()
  const factor = unit === "" ? 1 : SIZE_UNITS[unit]
  if (factor === undefined) return Option.none()
  const bytes = Math.floor(Number(match[1]) * factor)
  return Number.isSafeInteger(bytes) && bytes > 0 ? Option.some(bytes) : Option.none()
}

/**
 * `--max-body-size SIZE` (default 16 MiB), shared by `contract`, `contract
 * proxy` and `contract har`: answers over it are not judged.
 */
export const maxBodySize = Options.text("max-body-size").pipe(
  Options.withPseudoName("SIZE"),
  Options.withDescription(`Answers with a bigger body are not judged, e.g. ${sizeExamples} (default 16MiB)`),
  Options.mapEffect((text) =>
    Option.match(parseSize(text), {
      onNone: () =>
        invalid(`--max-body-size: expected a positive size like ${sizeExamples}; got ${JSON.stringify(text)}`),
      onSome: (bytes) => Effect.succeed(bytes)
    })
  ),
  Options.withDefault(defaultMaxBodyBytes)
)
