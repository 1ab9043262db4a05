/**
 * Text the HTML report shows people: durations with their unit, a start time
 * a person reads at a glance (the ISO form stays in a tooltip), a command
 * line that pastes back into a POSIX shell, and JSON bodies indented.
 *
 * @since 0.1.0
 */
import { Printable, ResponseRules } from "@postpress/schema"

/**
 * A duration with its unit: `0.4 ms`, `12 ms`, `1.50 s`, `12.5 s`, `2 min 05 s`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const duration = (ms: number): string => {
  if (!Number.isFinite(ms) || ms < 0) return "–"
  if (ms < 10) return `${ms.toFixed(1)} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/**
 * An ISO timestamp as `6 Dec 2026, 07:41:12 UTC` (UTC, so every reader of a
 * CI artifact sees the same text); an unreadable one comes back unchanged.
 *
 * @since 0.1.0
 * @category formatting
 */
export const readableTime = (iso: string): string => {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const two = (n: number) => String(n).padStart(2, "0")
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]!} ${date.getUTCFullYear()}, ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC`
}

/** Characters a POSIX shell leaves alone in an unquoted word. */
const plainWord = /^[A-Za-z0-9_@%+=:,./-]+$/

/**
 * One argument quoted for a POSIX shell: as is when it is plain, otherwise in
 * single quotes (a quote inside becomes `'\''`).
 *
 * @since 0.1.0
 * @category formatting
 */
export const shellQuote = (arg: string): string => (plainWord.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)

/**
 * A command line from a tool name and its arguments.
 *
 * @since 0.1.0
 * @category formatting
 */
export const commandLine = (tool: string, argv: ReadonlyArray<string>): string =>
  [tool, ...argv].map(shellQuote).join(" ")

/**
 * The start of a JSON document (cut anywhere, even inside a string) indented
 * the way `JSON.stringify(value, null, 2)` would: a line per member, two
 * spaces per level. Characters are kept as sent; only whitespace between
 * tokens changes.
 *
 * @since 0.1.0
 * @category formatting
 */
export const indentJsonPrefix = (prefix: string): string => {
  let out = ""
  let depth = 0
  let inString = false
  let escaped = false
  const newline = () => `\n${"  ".repeat(Math.max(0, depth))}`
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i]!
    if (inString) {
      out += c
      if (escaped) escaped = false
      else if (c === "\\") escaped = true
      else if (c === '"') inString = false
      continue
    }
    if (c === " " || c === "\n" || c === "\r" || c === "\t") continue
    if (c === '"') {
      inString = true
      out += c
    } else if (c === "{" || c === "[") {
      // An empty object or array stays on one line.
      const close = c === "{" ? "}" : "]"
      let j = i + 1
      while (j < prefix.length && /\s/.test(prefix[j]!)) j++
      if (prefix[j] === close) {
        out += c + close
        i = j
      } else {
        depth++
        out += c + newline()
      }
    } else if (c === "}" || c === "]") {
      depth--
      out += newline() + c
    } else if (c === ",") out += `,${newline()}`
    else if (c === ":") out += ": "
    else out += c
  }
  return out
}

/**
 * A body indented when it is JSON: a whole document parsed as the judge
 * parses bodies (`ResponseRules.parseJson`, a Schema), an excerpt cut in the
 * middle of one (`cut`) through {@link indentJsonPrefix}; anything else as
 * it is.
 *
 * @since 0.1.0
 * @category formatting
 */
export const prettyBody = (body: string, cut = false): { readonly text: string; readonly json: boolean } => {
  const trimmed = body.trim()
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return { text: body, json: false }
  const json = ResponseRules.parseJson(trimmed)
  if (json !== ResponseRules.NotJson) return { text: JSON.stringify(json, null, 2), json: true }
  return cut ? { text: indentJsonPrefix(trimmed), json: true } : { text: body, json: false }
}

/**
 * `1 request`, `2 requests`: the one rule the reports count by.
 *
 * @since 0.1.0
 * @category formatting
 */
export const { plural } = Printable
