/**
 * Server text made safe for a terminal: no control character survives, and
 * nothing else changes.
 */

import { fc, it } from "@fast-check/vitest"
import { Printable } from "@postpress/schema"
import { describe, expect } from "vitest"

// biome-ignore lint/suspicious/noControlCharactersInRegex: the property is that none remain
const anyControl = /[\u0000-\u001f\u007f-\u009f]/

describe("Printable.text", () => {
  it("shows ESC, CR, BEL, NUL, DEL and C1 as visible escapes", () => {
    expect(Printable.text("a\r\u001b[1A\u001b[2K\u0007\u0000\u007f\u009bz")).toBe(
      "a\\x0d\\x1b[1A\\x1b[2K\\x07\\x00\\x7f\\x9bz"
    )
    expect(Printable.text("\u001b]52;c;aGk=\u0007")).toBe("\\x1b]52;c;aGk=\\x07")
  })

  it.prop([fc.string({ unit: "binary" })])("leaves no control character and keeps every other one", (raw) => {
    const out = Printable.text(raw)
    expect(anyControl.test(out)).toBe(false)
    expect(Printable.hasControl(raw)).toBe(out !== raw)
    // Undo the escapes: the original comes back (the escape is visible AND lossless for control text).
    if (!raw.includes("\\x")) {
      expect(out.replace(/\\x([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))).toBe(
        raw
      )
    }
  })
})

describe("wording", () => {
  it("plural agrees with the count, with an irregular plural when given", () => {
    expect([0, 1, 2].map((n) => Printable.plural(n, "request"))).toEqual(["0 requests", "1 request", "2 requests"])
    expect(Printable.plural(1, "body", "bodies")).toBe("1 body")
    expect(Printable.plural(3, "body", "bodies")).toBe("3 bodies")
  })

  it("withArticle: 'an' before a vowel letter, 'a' otherwise", () => {
    expect(["ICLOUD", "OUTLOOK", "EXCHANGE", "INSTAGRAM", "SLACK", "MAIL"].map(Printable.withArticle)).toEqual([
      "an ICLOUD",
      "an OUTLOOK",
      "an EXCHANGE",
      "an INSTAGRAM",
      "a SLACK",
      "a MAIL"
    ])
  })
})
