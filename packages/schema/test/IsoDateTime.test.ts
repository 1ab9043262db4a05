import { test as fcTest } from "@fast-check/vitest"
import { IsoDateTime } from "@postpress/schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

/** The definition: the exact form, and `Date` writes the instant back unchanged. */
const reference = (s: string): boolean => {
  if (!new RegExp(IsoDateTime.pattern).test(s)) return false
  const date = new Date(s)
  return !Number.isNaN(date.getTime()) && date.toISOString() === s
}

const pad = (n: number, width: number) => String(n).padStart(width, "0")

describe("isIsoDateTime", () => {
  it("agrees with the Date round trip on every date of four centuries (every leap-year rule)", () => {
    const differ: Array<string> = []
    for (let year = 1800; year <= 2200; year++)
      for (let month = 0; month <= 13; month++)
        for (let day = 0; day <= 32; day++) {
          const s = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T23:59:59.999Z`
          if (IsoDateTime.isIsoDateTime(s) !== reference(s)) differ.push(s)
        }
    expect(differ).toEqual([])
  })

  it.each([
    ["2024-02-29T12:00:00.000Z", true],
    ["2025-02-29T12:00:00.000Z", false],
    ["1900-02-29T12:00:00.000Z", false],
    ["2000-02-29T12:00:00.000Z", true],
    ["0000-02-29T00:00:00.000Z", true],
    ["2025-04-31T00:00:00.000Z", false],
    ["9999-12-31T23:59:59.999Z", true],
    ["2025-12-31T23:59:60.000Z", false],
    ["2025-12-31T24:00:00.000Z", false]
  ])("%s → %s", (s, expected) => {
    expect(IsoDateTime.isIsoDateTime(s)).toBe(expected)
    expect(reference(s)).toBe(expected)
  })

  const anyDateTime = fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.integer({ min: 0, max: 61 }),
      fc.integer({ min: 0, max: 999 })
    )
    .map(
      ([y, mo, d, h, mi, s, ms]) =>
        `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`
    )

  fcTest.prop([fc.oneof(anyDateTime, fc.string())], { numRuns: 2000 })(
    "agrees with the Date round trip on any datetime-shaped string and any string",
    (s) => {
      expect(IsoDateTime.isIsoDateTime(s)).toBe(reference(s))
    }
  )
})
