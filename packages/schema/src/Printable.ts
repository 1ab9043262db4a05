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
