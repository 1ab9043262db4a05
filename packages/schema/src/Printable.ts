/**
 * Text from a server made safe for a terminal. A body, a header or a reason
 * phrase echoed in a failure line must never drive the terminal that shows
 * it: a `\r` or `ESC[1A` rewrites lines already printed, `ESC]52;` writes the
 * clipboard, a BEL rings. Every C0 and C1 control character and DEL is shown
 * as a visible escape (`\x1b`, `\x0d`, `\x9b`), so the reader sees what the
 * server sent and the terminal acts on none of it.
 *
 * Only human output needs this: JSON, JUnit and HTML escape by their own
 * rules.
 *
 * @since 0.1.0
 */

// C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what is escaped
const control = /[\u0000-\u001f\u007f-\u009f]/g

// biome-ignore lint/suspicious/noControlCharactersInRegex: the same set, for a test without state
const anyControl = /[\u0000-\u001f\u007f-\u009f]/

const visible = (char: string): string => `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`

/**
 * `raw` with every control character (newlines and tabs included) as a
 * visible `\xNN` escape; everything else unchanged.
 *
 * @example
 * import { Printable } from "@postpress/schema"
 *
 * Printable.text("ok\r\u001b[2Kforged") // "ok\\x0d\\x1b[2Kforged"
 *
 * @since 0.1.0
 * @category escaping
 */
export const text = (raw: string): string => raw.replace(control, visible)

/**
 * Whether `text` holds a control character that {@link text} would show.
 *
 * @since 0.1.0
 * @category predicates
 */
export const hasControl = (text: string): boolean => anyControl.test(text)

/**
 * The count with the noun that agrees with it, for sentences made for
 * people: `1 request`, `3 requests`, `2 bodies` (give `many` when adding an
 * `s` is wrong). Every package's generated sentences count with this one.
 *
 * @example
 * import { Printable } from "@postpress/schema"
 *
 * Printable.plural(1, "request") // "1 request"
 * Printable.plural(2, "body", "bodies") // "2 bodies"
 *
 * @since 0.1.0
 * @category wording
 */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`

/**
 * The word with its indefinite article: `an ICLOUD`, `a SLACK`. The article
 * goes by the sound the word starts with; the names these sentences hold
 * (account types, kinds of answer) are read as words, not spelled out
 * letter by letter ("an iCloud", "an Outlook", "an Exchange"), so a word
 * starting with a vowel letter takes "an".
 *
 * @example
 * import { Printable } from "@postpress/schema"
 *
 * Printable.withArticle("ICLOUD") // "an ICLOUD"
 *
 * @since 0.1.0
 * @category wording
 */
export const withArticle = (word: string): string => `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`
