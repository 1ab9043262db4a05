/**
 * JSON values and the two ways this package names a place in one: a JSON
 * Pointer into a document (`#/$defs/Account/anyOf/0`) and a path into a
 * response body as readers know it (`$[type=MAIL].connection_params.mail`).
 *
 * @internal
 */

/** A JSON value, as `JSON.parse` returns it. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** A JSON object. */
export type JsonObject = { readonly [key: string]: Json }

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Structural equality of two JSON values (object key order does not matter). */
export const equal = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => equal(item, b[i]))
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && equal(a[key], b[key]))
  }
  return false
}

/** One segment of a JSON Pointer, escaped (RFC 6901). */
export const escapePointer = (segment: string): string => segment.replaceAll("~", "~0").replaceAll("/", "~1")

/** A segment of a JSON Pointer, unescaped. */
export const unescapePointer = (segment: string): string => segment.replaceAll("~1", "/").replaceAll("~0", "~")

/** `pointer` followed by `segments`. */
export const pointerTo = (pointer: string, ...segments: ReadonlyArray<string>): string =>
  [pointer, ...segments.map(escapePointer)].join("/")

/**
 * One step into a response body: a property, the items of an array, a
 * property the schema does not name (`additional`), or the variant of a
 * union whose `property` holds `value` (the discriminator's literal).
 */
export type Step =
  | { readonly _tag: "property"; readonly name: string }
  | { readonly _tag: "items" }
  | { readonly _tag: "additional"; readonly name: string }
  | { readonly _tag: "variant"; readonly property: string; readonly value: Json }

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** A keyword's value when it is a number (`minLength`, `maximum`, …), else `undefined`. */
export const numberOf = (value: Json | undefined): number | undefined => (typeof value === "number" ? value : undefined)

/** A literal as reports write it: a string as it is, anything else as JSON (`MAIL`, `404`, `null`). */
export const literalText = (value: Json): string => (typeof value === "string" ? value : JSON.stringify(value))

const segment = (step: Step): string => {
  switch (step._tag) {
    case "property":
    case "additional":
      return identifier.test(step.name) ? `.${step.name}` : `[${JSON.stringify(step.name)}]`
    case "items":
      return "[*]"
    case "variant":
      return `[${step.property}=${literalText(step.value)}]`
  }
}

/** A readable path into a body: `$[type=MAIL].connection_params.mail.imap_encryption`, `$.groups[*]`. */
export const formatPath = (steps: ReadonlyArray<Step>): string => `$${steps.map(segment).join("")}`
