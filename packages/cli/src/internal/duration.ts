/**
 * The one duration grammar of every `postpress` flag: what users type
 * (`500ms`, `2s`, `1.5s`, `1m`, `1h`), and Effect's own spelling
 * (`"250 millis"`, `"2 seconds"`) for those who copy it from code.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** What the grammar accepts, for error messages and help text. */
export const examples = "500ms, 2s, 1.5s, 1m, 1h"

/** `None` for anything that is not a finite, non-negative duration. */
export const parse = (input: string): Option.Option<Duration.Duration> => {
  const text = input.trim()
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(text)
  if (match !== null) {
    const ms = Number(match[1]) * (UNITS[match[2] ?? ""] ?? Number.NaN)
    return Number.isFinite(ms) ? Option.some(Duration.millis(ms)) : Option.none()
  }
  return Option.filter(Duration.decodeUnknown(text), Duration.isFinite)
}
