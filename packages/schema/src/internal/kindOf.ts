/**
 * What a value is, as a refusal names it without showing it: `null`,
 * `undefined`, `an array`, `an object`, `a string`, `a number`…
 * (the article by the sound of the word).
 */
export const kindOf = (input: unknown): string => {
  if (input === null) return "null"
  if (input === undefined) return "undefined"
  if (Array.isArray(input)) return "an array"
  const kind = typeof input
  return kind === "object" ? "an object" : `a ${kind}`
}
