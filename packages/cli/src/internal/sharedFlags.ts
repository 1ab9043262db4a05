/**
 * Flags that mean the same thing in every command, described once: same
 * name, same value name, same words, same environment fallback.
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { UnreadableVariable } from "./errors.js"
import * as Grammar from "./grammar.js"
import * as Spec from "./spec.js"

/** `--base-url URL`, falling back to `POSTPRESS_BASE_URL` (see {@link baseUrlInput}). */
export const baseUrlFlag = (description: string) => Spec.optional("base-url", "URL", description)

/** The variable `--base-url` falls back to. */
export const baseUrlVariable = "POSTPRESS_BASE_URL"

/** A base URL as given, and where it came from when not from the flag (for the line that names it). */
export interface BaseUrlInput {
  readonly value: string | undefined
  /** `{ baseUrl: "POSTPRESS_BASE_URL" }` when the variable stood in for the flag. */
  readonly sources: Readonly<Record<string, string>>
}

const nonEmpty = (text: string): Option.Option<string> => (text.trim() === "" ? Option.none() : Option.some(text))

/**
 * `--base-url` as typed, else `POSTPRESS_BASE_URL`; empty text (common in CI
 * templates) counts as not given. Judged later by the config Schema (THE
 * base-URL rule), whose message then names the flag or the variable.
 */
export const baseUrlInput = (flag: Option.Option<string>): Effect.Effect<BaseUrlInput, UnreadableVariable> =>
  Option.isSome(flag)
    ? Effect.succeed({ value: Option.getOrUndefined(nonEmpty(flag.value)), sources: {} })
    : Effect.map(
        Effect.mapError(
          Config.option(Config.string(baseUrlVariable)),
          () => new UnreadableVariable({ variable: baseUrlVariable })
        ),
        (text) => ({
          value: Option.getOrUndefined(Option.flatMap(text, nonEmpty)),
          sources: { baseUrl: baseUrlVariable }
        })
      )

/**
 * `--max-body-size SIZE` (default 16 MiB), shared by `contract`, `contract
 * proxy` and `contract har`: answers over it are not judged. Keyed
 * `maxBodyBytes`, the libraries' name for it.
 */
export const maxBodySize = Spec.optional(
  "max-body-size",
  "SIZE",
  `Answers with a bigger body are not judged, e.g. ${Grammar.sizeExamples} (default 16MiB)`
)

/** `--NAME FILE`, an optional file to write. */
export const file = (name: string, description: string) => Spec.optional(name, "FILE", description)

/**
 * `--unknown-types fail|keep` of the judging commands (`contract`, `contract
 * proxy`, `contract har`): what an account type none of the 14 is.
 */
export const unknownTypes = Spec.optional(
  "unknown-types",
  "fail|keep",
  "A type none of the 14: fail (violation, default) or keep (drift, named)"
)
