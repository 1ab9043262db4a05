/**
 * The report's colours are checked, not trusted: badge text reads at WCAG AA
 * contrast, and the status colours stay apart for people with the common
 * colour-vision deficiencies (simulated with the Machado et al. 2009
 * matrices, compared by CIE76 ΔE in Lab). Where two statuses share a colour
 * family, their fill patterns differ, so no pair relies on colour alone.
 */
import { describe, expect, it } from "vitest"
import { contrastRatio, statusStyles, verdictStyles } from "../src/internal/render/html/palette.js"

type Rgb = readonly [number, number, number]

const toLinear = (hex: string): Rgb =>
  [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as unknown as Rgb

const multiply = (m: ReadonlyArray<Rgb>, v: Rgb): Rgb =>
  m.map((row) => Math.min(1, Math.max(0, row[0] * v[0] + row[1] * v[1] + row[2] * v[2]))) as unknown as Rgb

/** Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB. */
const deficiencies: Record<string, ReadonlyArray<Rgb>> = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1]
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998]
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881]
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039]
  ]
}

const lab = ([r, g, b]: Rgb): Rgb => {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
  const f = (t: number) => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29)
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))]
}

const deltaE = (a: string, b: string, matrix: ReadonlyArray<Rgb>): number => {
  const [p, q] = [lab(multiply(matrix, toLinear(a))), lab(multiply(matrix, toLinear(b)))]
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2])
}

const documented = [200, 400, 401, 403, 404, 429, 500, 502, 503, 504, null] as const

describe("palette", () => {
  const styles = statusStyles(documented)

  it("400 and 404 are far apart for every kind of vision, and differ in pattern too", () => {
    const [bad, notFound] = [styles.get(400)!, styles.get(404)!]
    expect(bad.pattern).not.toBe(notFound.pattern)
    for (const [name, matrix] of Object.entries(deficiencies)) {
      expect(deltaE(bad.color, notFound.color, matrix), name).toBeGreaterThan(40)
    }
  })

  it("every pair of documented statuses differs in pattern, or in colour for every kind of vision", () => {
    const entries = [...styles]
    expect(new Set(entries.map(([, s]) => `${s.color}/${s.pattern}`)).size).toBe(entries.length)
    for (const [i, [a, sa]] of entries.entries()) {
      for (const [b, sb] of entries.slice(i + 1)) {
        if (sa.pattern !== sb.pattern) continue
        for (const [name, matrix] of Object.entries(deficiencies)) {
          expect(deltaE(sa.color, sb.color, matrix), `${a} vs ${b} (${name})`).toBeGreaterThan(20)
        }
      }
    }
  })

  it("statuses outside the documented set still get distinct colour/pattern pairs", () => {
    const many = statusStyles([...documented, 405, 409, 410, 418, 422, 501, 505, 507, 204, 302])
    expect(new Set([...many.values()].map((s) => `${s.color}/${s.pattern}`)).size).toBe(many.size)
  })

  it("badge text and pattern ink read at WCAG AA contrast (4.5:1)", () => {
    for (const [status, style] of Object.entries(verdictStyles)) {
      expect(contrastRatio(style.background, style.ink), status).toBeGreaterThanOrEqual(4.5)
    }
    for (const [status, style] of styles) {
      expect(contrastRatio(style.color, style.ink), String(status)).toBeGreaterThanOrEqual(4.5)
    }
  })

  it("pass, fail and inconclusive badges stay apart for every kind of vision", () => {
    const { pass, fail, inconclusive } = verdictStyles
    for (const [name, matrix] of Object.entries(deficiencies)) {
      expect(deltaE(pass!.background, inconclusive!.background, matrix), `pass/inconclusive ${name}`).toBeGreaterThan(
        30
      )
      expect(deltaE(fail!.background, inconclusive!.background, matrix), `fail/inconclusive ${name}`).toBeGreaterThan(
        30
      )
      expect(deltaE(pass!.background, fail!.background, matrix), `pass/fail ${name}`).toBeGreaterThan(10)
    }
  })
})
