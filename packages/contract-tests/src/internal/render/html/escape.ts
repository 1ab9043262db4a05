/**
 * Escaping for the HTML report. Everything a server sent (ids, bodies,
 * header values, decode messages quoting them) goes through {@link text}
 * before it reaches the page, so `<script>` or `<img onerror=…>` in a body
 * is shown as those characters and never becomes markup.
 *
 * @since 0.1.0
 */

// Characters that are not allowed (or not visible) in an HTML document are
// shown as `\u{…}`: controls, noncharacters, lone surrogates (with the `u`
// flag a surrogate range matches only unpaired ones), and the bidi controls
// that would make a hostile id reorder the text around it.
const invisible =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFFFE\uFFFF\uD800-\uDFFF]/gu

/**
 * Escapes text for an element's content or a double-quoted attribute value.
 *
 * @since 0.1.0
 * @category escaping
 */
export const text = (value: string | number): string =>
  String(value)
    .replace(invisible, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")

/**
 * Markup already escaped (or written by us); a tagged string keeps the two
 * kinds apart so nothing the server sent is inserted unescaped.
 *
 * @since 0.1.0
 * @category models
 */
export interface Html {
  readonly html: string
}

const isHtml = (value: unknown): value is Html =>
  typeof value === "object" && value !== null && "html" in value && typeof value.html === "string"

/**
 * A template tag: interpolated strings and numbers are escaped, {@link Html}
 * values and arrays of them are inserted as they are.
 *
 * @since 0.1.0
 * @category constructors
 */
export const html = (
  strings: TemplateStringsArray,
  ...values: ReadonlyArray<string | number | Html | ReadonlyArray<Html>>
): Html => {
  let out = strings[0] ?? ""
  values.forEach((value, i) => {
    out += Array.isArray(value)
      ? value.map((v: Html) => v.html).join("")
      : isHtml(value)
        ? value.html
        : text(value as string | number)
    out += strings[i + 1] ?? ""
  })
  return { html: out }
}

/**
 * Nothing.
 *
 * @since 0.1.0
 * @category constants
 */
export const empty: Html = { html: "" }
