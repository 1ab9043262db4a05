/**
 * `Redaction.scrub`, the one masking function: every echoed form of every
 * secret disappears from arbitrary text, shared prefixes included, and text
 * without secrets is left alone.
 */
import { test as fcTest } from "@fast-check/vitest"
import { Redaction } from "@postpress/schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

const scrub = Redaction.scrub

/** Every form a server can echo a secret in. */
const echoes = (secret: string): ReadonlyArray<string> => {
  const json = JSON.stringify(secret).slice(1, -1)
  const asciiJson = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
  // Case changes that keep the length (per character, as servers change ASCII case).
  const cased = [secret.toUpperCase(), secret.toLowerCase(), json.toUpperCase()].filter(
    (form, i) => form.length === [secret, secret, json][i]!.length
  )
  const forms = [secret, json, asciiJson, ...cased]
  try {
    const percent = encodeURIComponent(secret)
    forms.push(
      percent,
      percent.toLowerCase(),
      percent.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())
    )
    // An encoder that escapes every byte.
    forms.push(
      Array.from(new TextEncoder().encode(secret), (b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join("")
    )
  } catch {
    // A lone surrogate has no percent-encoding through encodeURIComponent.
  }
  return forms
}

/** Secrets as keys are: printable, with the characters that need escaping mixed in. */
const secretArb = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', "\\", "/", "%", "+", "é", "ü", "€", "😀", "\n", "-", "_", "."),
      fc.char(),
      fc.fullUnicode()
    ),
    { minLength: 8, maxLength: 40 }
  )
  .map((cs) => cs.join(""))

const survives = (text: string, secret: string): boolean => echoes(secret).some((form) => text.includes(form))

describe("Redaction.scrub", () => {
  it("masks a key with a quote and a backslash in every echoed form", () => {
    const key = 'pp_live_"ab\\cd'
    const body = JSON.stringify({ raw: key, query: encodeURIComponent(key), upper: key.toUpperCase() })
    const out = scrub(`${body} header=${key}`, [key])
    expect(out).toBe('{"raw":"***","query":"***","upper":"***"} header=***')
  })

  it("masks percent-encoding in either hex case and \\u escapes", () => {
    const key = "pp_live_é/x"
    expect(scrub("a=pp_live_%C3%A9%2Fx&b=pp_live_%c3%a9%2fx", [key])).toBe("a=***&b=***")
    expect(scrub('"pp_live_\\u00e9\\/x" "pp_live_\\u00E9/x"', [key])).toBe('"***" "***"')
  })

  it("masks a key cut short (a run of at least 6 leading characters) but not 5", () => {
    const key = "pp_live_0123456789"
    expect(scrub("seen pp_live_01… (truncated)", [key])).toBe("seen ***… (truncated)")
    expect(scrub("pp_li is fine", [key])).toBe("pp_li is fine")
  })

  it("masks two keys sharing a prefix entirely, whatever their order", () => {
    const a = "pp_live_AAAA1111"
    const b = "pp_live_AAAA2222xyz"
    for (const secrets of [
      [a, b],
      [b, a]
    ]) {
      expect(scrub(`${a} ${b} ${a.slice(0, 10)}`, secrets)).toBe("*** *** ***")
    }
  })

  it("masks a secret starting inside another's match to its end", () => {
    expect(scrub("abcdefghijkl!", ["abcdefg", "cdefghijkl"])).toBe("***!")
  })

  it("ignores empty secrets and masks short ones only whole", () => {
    expect(scrub("abc abd", ["", "abc"])).toBe("*** abd")
    expect(scrub("nothing here", [])).toBe("nothing here")
  })

  it("leaves text without secrets unchanged", () => {
    expect(scrub('{"id":"acc_1","name":"x"}', ["pp_live_secret"])).toBe('{"id":"acc_1","name":"x"}')
  })

  fcTest.prop([secretArb, fc.string(), fc.string(), fc.nat(20)])(
    "no echoed form of a secret survives inside arbitrary text",
    (secret, before, after, which) => {
      const forms = echoes(secret)
      const form = forms[which % forms.length]!
      const out = scrub(`${before}${form}${after}`, [secret])
      expect(out.includes(form)).toBe(false)
      expect(survives(out, secret)).toBe(false)
    }
  )

  const separators = fc.array(fc.constantFrom("<", "|", ">", "#", " "), { maxLength: 5 }).map((cs) => cs.join(""))

  fcTest.prop([secretArb, separators, separators, fc.nat(20)])(
    "each echoed form is masked whole, as one mask",
    (secret, before, after, which) => {
      fc.pre(![..."<|># "].some((c) => secret.toLowerCase().includes(c)))
      const forms = echoes(secret)
      const form = forms[which % forms.length]!
      expect(scrub(`${before}${form}${after}`, [secret])).toBe(`${before}***${after}`)
    }
  )

  fcTest.prop([secretArb, fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 1, maxLength: 12 })])(
    "two secrets with a shared prefix both vanish entirely",
    (prefix, tailA, tailB) => {
      const a = prefix + tailA
      const b = prefix + tailB
      const out = scrub(`x ${a} y ${b} z ${JSON.stringify(a)}`, [a, b])
      expect(survives(out, a)).toBe(false)
      expect(survives(out, b)).toBe(false)
    }
  )

  fcTest.prop([fc.string(), secretArb])("text that holds no part of the secret is unchanged", (text, secret) => {
    fc.pre(
      !text.toLowerCase().includes(secret.slice(0, 6).toLowerCase()) && !text.includes("%") && !text.includes("\\")
    )
    expect(scrub(text, [secret])).toBe(text)
  })
})

describe("Redaction.echoes", () => {
  fcTest.prop([secretArb, fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), fc.nat(20)])(
    "finds the whole secret in every echoed form",
    (secret, before, after, which) => {
      const forms = echoes(secret)
      expect(Redaction.echoes(`${before}${forms[which % forms.length]!}${after}`, secret)).toBe(true)
    }
  )

  it("does not call a shared prefix or a cut-short key an echo (scrub still masks those)", () => {
    const key = "pp_live_0123456789"
    expect(Redaction.echoes("another key: pp_live_9999999999", key)).toBe(false)
    expect(Redaction.echoes("seen pp_live_0123… (truncated)", key)).toBe(false)
    expect(Redaction.contains("seen pp_live_0123… (truncated)", [key])).toBe(true)
    expect(Redaction.echoes(`x=${encodeURIComponent('pp_"live\\1')}`, 'pp_"live\\1')).toBe(true)
  })
})
