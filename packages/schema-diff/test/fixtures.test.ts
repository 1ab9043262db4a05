/**
 * The fixture pairs (`fixtures/<name>/{old,new,expected}.json`): at least
 * one per rule, each diffed both ways (OLD → NEW and back), classified
 * EXACTLY (the same rules, severities and paths, nothing more); every
 * breaking change carries a counterexample that NEW's ajv accepts and OLD's
 * ajv rejects, checked by validators built apart from the package's own
 * (`support/independent.ts`).
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as SchemaDiff from "../src/SchemaDiff.js"
import { acceptor } from "./support/independent.js"

const dir = join(import.meta.dirname, "fixtures")

interface Expected {
  readonly rule: string
  readonly severity: string
  readonly path: string
}

const pairs = readdirSync(dir).map((name) => {
  const read = (file: string) => JSON.parse(readFileSync(join(dir, name, file), "utf8")) as Record<string, unknown>
  const expected = read("expected.json") as unknown as {
    readonly about: string
    readonly forward: ReadonlyArray<Expected>
    readonly backward: ReadonlyArray<Expected>
  }
  return { name, old: read("old.json"), next: read("new.json"), expected }
})

const directions = pairs.flatMap(({ name, old, next, expected }) => [
  { name: `${name} (${expected.about})`, old, next, expected: expected.forward },
  { name: `${name}, backwards`, old: next, next: old, expected: expected.backward }
])

const sorted = (changes: ReadonlyArray<Expected>) =>
  [...changes]
    .map(({ rule, severity, path }) => ({ rule, severity, path }))
    .sort((a, b) => `${a.rule}${a.path}`.localeCompare(`${b.rule}${b.path}`))

describe("fixture pairs", () => {
  it("cover every rule, each in both directions of some pair", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(25)
    const met = new Set(directions.flatMap((d) => d.expected.map((change) => change.rule)))
    expect(SchemaDiff.ruleIds.filter((rule) => !met.has(rule))).toEqual([])
  })

  it.effect.each(directions)("$name", ({ old, next, expected }) =>
    Effect.gen(function* () {
      const result = yield* SchemaDiff.diff(old, next)
      expect(sorted(result.changes)).toEqual(sorted(expected))
      expect(result.verdict).toBe(
        expected.length === 0
          ? "unchanged"
          : (["breaking", "narrowing", "safe"].find((s) => expected.some((c) => c.severity === s)) ?? "")
      )
      const [acceptsOld, acceptsNew] = [acceptor(old), acceptor(next)]
      for (const change of result.changes.filter((c) => c.severity === "breaking")) {
        expect(change.counterexample, `${change.rule}: ${change.noCounterexample}`).toBeDefined()
        const value = change.counterexample?.value
        expect(acceptsNew(value), `NEW accepts ${JSON.stringify(value)}`).toBe(true)
        expect(acceptsOld(value), `OLD rejects ${JSON.stringify(value)}`).toBe(false)
        expect(change.counterexample?.oldError).not.toBe("")
      }
    })
  )
})
