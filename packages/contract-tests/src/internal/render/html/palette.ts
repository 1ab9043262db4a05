/**
 * The report's colours, chosen so people with the common colour-vision
 * deficiencies can tell them apart, and never used alone: every answer
 * status has a colour AND a fill pattern AND its text label; every verdict
 * a colour AND an icon AND a word.
 *
 * Status colours come from the Okabe–Ito palette (designed to stay distinct
 * under protanopia, deuteranopia and tritanopia). The statuses this API
 * answers with have fixed colour/pattern pairs, so two reports read alike:
 * 400 is orange with diagonal stripes, 404 blue with horizontal ones.
 * Badge text picks black or white by WCAG contrast (at least 4.5:1).
 *
 * @since 0.1.0
 */

/**
 * A fill pattern drawn over a status colour.
 *
 * @since 0.1.0
 * @category models
 */
export type Pattern = "solid" | "diagonal" | "dots" | "cross" | "horizontal" | "backslash" | "vertical" | "grid"

/**
 * How one answer status is drawn.
 *
 * @since 0.1.0
 * @category models
 */
export interface StatusStyle {
  readonly color: string
  readonly pattern: Pattern
  /** The colour of the pattern's lines and of text on the colour (black or white). */
  readonly ink: string
}

/**
 * The Okabe–Ito colours (Okabe & Ito, "Color Universal Design", 2008).
 *
 * @since 0.1.0
 * @category constants
 */
export const okabeIto = {
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
  black: "#000000"
} as const

const grey = "#999999"

/** The statuses the API documents (and "no answer"), each with its own pair. */
const fixed: ReadonlyMap<number | null, readonly [string, Pattern]> = new Map<
  number | null,
  readonly [string, Pattern]
>([
  [200, [okabeIto.bluishGreen, "solid"]],
  [400, [okabeIto.orange, "diagonal"]],
  [401, [okabeIto.reddishPurple, "dots"]],
  [403, [okabeIto.yellow, "cross"]],
  [404, [okabeIto.blue, "horizontal"]],
  [429, [okabeIto.skyBlue, "backslash"]],
  [500, [okabeIto.vermillion, "vertical"]],
  [502, [okabeIto.vermillion, "dots"]],
  [503, [okabeIto.black, "diagonal"]],
  [504, [okabeIto.black, "dots"]],
  [null, [grey, "cross"]]
])

const familyColors: Record<string, ReadonlyArray<string>> = {
  "1": [grey],
  "2": [okabeIto.bluishGreen],
  "3": [grey],
  "4": [okabeIto.orange, okabeIto.reddishPurple, okabeIto.yellow, okabeIto.blue, okabeIto.skyBlue],
  "5": [okabeIto.vermillion, okabeIto.black]
}

const fallbackPatterns: ReadonlyArray<Pattern> = ["grid", "vertical", "horizontal", "diagonal", "dots", "backslash"]

const channel = (hex: string, offset: number): number => {
  const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/**
 * WCAG 2 relative luminance of a `#RRGGBB` colour.
 *
 * @since 0.1.0
 * @category contrast
 */
export const luminance = (hex: string): number =>
  0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5)

/**
 * WCAG 2 contrast ratio of two `#RRGGBB` colours (1 to 21).
 *
 * @since 0.1.0
 * @category contrast
 */
export const contrastRatio = (a: string, b: string): number => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

/**
 * Black or white, whichever reads better on `background`.
 *
 * @since 0.1.0
 * @category contrast
 */
export const inkOn = (background: string): string =>
  contrastRatio(background, "#000000") >= contrastRatio(background, "#FFFFFF") ? "#000000" : "#FFFFFF"

/**
 * The colour and pattern of each status in `statuses` (in order): the fixed
 * pair for the documented ones, otherwise a colour of the status's family
 * with a pattern no other status of the report uses with that colour.
 *
 * @since 0.1.0
 * @category palette
 */
export const statusStyles = (statuses: ReadonlyArray<number | null>): ReadonlyMap<number | null, StatusStyle> => {
  const out = new Map<number | null, StatusStyle>()
  const taken = new Set<string>()
  const add = (status: number | null, color: string, pattern: Pattern) => {
    taken.add(`${color}/${pattern}`)
    out.set(status, { color, pattern, ink: inkOn(color) })
  }
  for (const status of statuses) {
    const pair = fixed.get(status)
    if (pair !== undefined) add(status, pair[0], pair[1])
  }
  let n = 0
  for (const status of statuses) {
    if (out.has(status)) continue
    const colors = familyColors[String(status)[0]!] ?? [grey]
    // The first colour/pattern pair of the family no status of this report uses yet.
    for (let tries = 0; ; tries++, n++) {
      const color = colors[n % colors.length]!
      const pattern = fallbackPatterns[Math.floor(n / colors.length) % fallbackPatterns.length]!
      if (!taken.has(`${color}/${pattern}`) || tries > colors.length * fallbackPatterns.length) {
        add(status, color, pattern)
        n++
        break
      }
    }
  }
  return out
}

/**
 * The id of the SVG pattern that fills a status's shapes.
 *
 * @since 0.1.0
 * @category palette
 */
export const patternId = (style: StatusStyle): string => `fill-${style.pattern}-${style.color.slice(1).toLowerCase()}`

/**
 * How a verdict (of the run or of one check) is shown.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerdictStyle {
  readonly label: string
  readonly icon: string
  readonly background: string
  readonly ink: string
  /** Diagonal stripes: an inconclusive run must not read as any solid colour. */
  readonly striped: boolean
}

const verdict = (label: string, icon: string, background: string, striped = false): VerdictStyle => ({
  label,
  icon,
  background,
  ink: inkOn(background),
  striped
})

/**
 * The styles of the run's verdict and of each check status. `pass` is a dark
 * blue-green, `fail` a red, `inconclusive` a striped amber (never green), `not_run` grey.
 *
 * @since 0.1.0
 * @category palette
 */
export const verdictStyles: Readonly<Record<string, VerdictStyle>> = {
  pass: verdict("PASS", "✓", "#00734D"),
  fail: verdict("FAIL", "✗", "#B3261E"),
  inconclusive: verdict("INCONCLUSIVE", "?", "#F0C419", true),
  not_run: verdict("NOT RUN", "–", "#6B6B6B")
}

/**
 * The style of a status, falling back to "not run" for an unknown one.
 *
 * @since 0.1.0
 * @category palette
 */
export const verdictStyle = (status: string): VerdictStyle => verdictStyles[status] ?? verdictStyles.not_run!
