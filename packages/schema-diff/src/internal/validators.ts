/**
 * The validators that decide: ajv 8 (JSON Schema 2020-12, with the formats
 * of ajv-formats), one per subject of a document, as a reader that
 * validates with the document would. "Accepted by OLD" means OLD's ajv
 * accepts; OLD's complaint about a counterexample is ajv's own errors, the
 * ones about the place the change is.
 *
 * @internal
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import { escape as escapeRegExp } from "effect/RegExp"
import type { Contract } from "./document.js"
import { escapePointer, type Json, literalText, type Step } from "./json.js"

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

/** A subject's validator: whether a value is accepted, and ajv's errors when it is not. */
export interface Validator {
  readonly accepts: (value: unknown) => boolean
  readonly errors: (value: unknown) => ReadonlyArray<ErrorObject>
}

const makeAjv = (allErrors: boolean): Ajv2020 => {
  const ajv = new Ajv2020({ strict: false, allErrors, logger: false, validateFormats: true })
  addFormats(ajv)
  return ajv
}

/** `schema` with its `$ref`s to named schemas made absolute (the named schemas are compiled apart, at `base`). */
const absolute = (schema: Json, base: string): Json => {
  if (Array.isArray(schema)) return schema.map((item) => absolute(item, base))
  if (typeof schema !== "object" || schema === null) return schema
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === "$ref" && typeof value === "string" && value.startsWith("#/$defs/")
        ? `${base}${value}`
        : absolute(value as Json, base)
    ])
  )
}

/** Two ajv instances: one that stops at the first error (to decide), one that lists them all (to explain). */
interface Ajvs {
  readonly decide: Ajv2020
  readonly explain: Ajv2020
}

/**
 * A validator of one schema of a contract (its `$ref`s resolved against the
 * contract's `$defs`): compiled now to decide, and on first need to explain.
 */
const validatorOf = (ajvs: Ajvs, base: string, schema: Json): Validator => {
  const root = { $schema: "https://json-schema.org/draft/2020-12/schema", allOf: [absolute(schema, base)] }
  const decide: ValidateFunction = ajvs.decide.compile(root)
  let explain: ValidateFunction | undefined
  return {
    accepts: (value: unknown) => decide(value) === true,
    errors: (value: unknown) => {
      explain ??= ajvs.explain.compile(root)
      return explain(value) ? [] : [...(explain.errors ?? [])]
    }
  }
}

/** A contract's validators: one per subject, and one for any schema inside it (compiled once, on first use). */
export interface Validators {
  readonly subject: (name: string) => Validator | undefined
  readonly at: (schema: Json) => Validator
}

/** Compiles every subject of a contract now; throws ajv's message when a schema is not valid JSON Schema. */
export const validators = (contract: Contract): Validators => {
  const ajvs: Ajvs = { decide: makeAjv(false), explain: makeAjv(true) }
  // The named schemas once, under their own id: every validator refers to them there, and ajv compiles each once.
  const base = "https://postpress.invalid/schema-diff/defs.json"
  const defs = { $schema: "https://json-schema.org/draft/2020-12/schema", $id: base, $defs: contract.defs }
  ajvs.decide.addSchema(defs)
  ajvs.explain.addSchema(defs)
  const subjects = new Map(contract.subjects.map((s) => [s.name, validatorOf(ajvs, base, s.schema)] as const))
  const inner = new Map<Json, Validator>()
  return {
    subject: (name) => subjects.get(name),
    at: (schema) => {
      const known = inner.get(schema)
      if (known !== undefined) return known
      const made = validatorOf(ajvs, base, schema)
      inner.set(schema, made)
      return made
    }
  }
}

const placeSegment = (step: Step): string => {
  switch (step._tag) {
    case "property":
      return `/${escapeRegExp(escapePointer(step.name))}`
    case "items":
      return "/\\d+"
    case "additional":
      return step.name === "*" ? "/[^/]+" : `/${escapeRegExp(escapePointer(step.name))}`
    case "variant":
      return ""
  }
}

/** The instance paths a path's errors are reported at: `^/connection_params/mail(/|$)`, any index for items. */
const placeOf = (steps: ReadonlyArray<Step>): string => steps.map(placeSegment).join("")

const detail = (error: ErrorObject): string => {
  const params = error.params as Record<string, unknown>
  if (Array.isArray(params.allowedValues)) return ` (${params.allowedValues.map(literalText).join(", ")})`
  if (typeof params.additionalProperty === "string") return `: ${JSON.stringify(params.additionalProperty)}`
  return ""
}

/**
 * OLD's complaint about a value, in ajv's words: its errors at the place of
 * the change (or below it, or anywhere when none are), the ones naming the
 * property at stake first; the same error from several union branches once,
 * an enum's allowed values merged. At most three.
 */
export const complaint = (
  errors: ReadonlyArray<ErrorObject>,
  at: ReadonlyArray<Step>,
  name: string | undefined,
  prefix = ""
): string => {
  const place = placeOf(at)
  const exact = new RegExp(`^${place}$`)
  const below = new RegExp(`^${place}(/|$)`)
  const useful = errors.filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf" && e.keyword !== "allOf")
  const ranked =
    [
      useful.filter((e) => exact.test(e.instancePath)),
      useful.filter((e) => below.test(e.instancePath)),
      useful,
      errors
    ].find((list) => list.length > 0) ?? []
  const names = (e: ErrorObject) => {
    const params = e.params as Record<string, unknown>
    return name !== undefined && (params.missingProperty === name || params.additionalProperty === name)
  }
  const ordered = [...ranked.filter(names), ...ranked.filter((e) => !names(e))]
  const merged = new Map<string, { error: ErrorObject; allowed: Array<unknown> }>()
  for (const error of ordered) {
    const key = `${error.instancePath}|${error.keyword}|${error.message}|${error.keyword === "enum" ? "" : detail(error)}`
    const entry = merged.get(key)
    const allowed = (error.params as { allowedValues?: Array<unknown> }).allowedValues ?? []
    if (entry === undefined) merged.set(key, { error, allowed: [...allowed] })
    else for (const value of allowed) if (!entry.allowed.includes(value)) entry.allowed.push(value)
  }
  return [...merged.values()]
    .slice(0, 3)
    .map(({ error, allowed }) => {
      const shown = error.keyword === "enum" ? { ...error, params: { allowedValues: allowed } } : error
      const path = `${prefix}${error.instancePath}`
      return `${path === "" ? "(root)" : path} ${error.message ?? error.keyword}${detail(shown)}`
    })
    .join("; ")
}
