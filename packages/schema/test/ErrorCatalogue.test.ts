import { ApiError, ErrorCatalogue, ErrorEnvelope } from "@postpress/schema"
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"

describe("the catalogue", () => {
  it("has 32 distinct types over the six documented tiers", () => {
    expect(ErrorCatalogue.catalogue).toHaveLength(32)
    expect(new Set(ErrorCatalogue.catalogue.map((e) => e.type)).size).toBe(32)
    expect(ErrorCatalogue.errorStatuses).toEqual([400, 401, 404, 500, 503, 504])
  })

  it("puts each type in exactly one tier, with the spec's counts", () => {
    const counts = ErrorCatalogue.errorStatuses.map((s) => ErrorCatalogue.typesOf(s).length)
    expect(counts).toEqual([8, 13, 2, 3, 5, 1])
    for (const { type } of ErrorCatalogue.catalogue) {
      expect(
        ErrorCatalogue.errorStatuses.filter((s) => ErrorCatalogue.typesOf(s).includes(type as never))
      ).toHaveLength(1)
    }
  })

  it("looks types up and knows documented statuses", () => {
    expect(ErrorCatalogue.lookup("errors/no_client_session")?.status).toBe(503)
    expect(ErrorCatalogue.lookup("errors/teapot")).toBeUndefined()
    expect(ErrorCatalogue.isErrorStatus(404)).toBe(true)
    expect(ErrorCatalogue.isErrorStatus(429)).toBe(false)
  })
})

describe("per-status envelopes", () => {
  for (const status of ErrorCatalogue.errorStatuses) {
    const schema = ErrorEnvelope.envelopes[status] as unknown as Schema.Schema<unknown>
    const decode = Schema.decodeUnknownEither(schema)
    const own = ErrorCatalogue.typesOf(status)
    const foreign = ErrorCatalogue.catalogue.filter((e) => e.status !== status)

    it(`${status}: accepts every type of its tier with status ${status}`, () => {
      for (const type of own) expect(Either.isRight(decode({ title: "t", type, status }))).toBe(true)
    })
    it(`${status}: rejects every type of another tier`, () => {
      for (const { type } of foreign) expect(Either.isLeft(decode({ title: "t", type, status }))).toBe(true)
    })
    it(`${status}: rejects a status that is not ${status}`, () => {
      for (const other of [...ErrorCatalogue.errorStatuses.filter((s) => s !== status), 200, 418]) {
        expect(Either.isLeft(decode({ title: "t", type: own[0], status: other }))).toBe(true)
      }
    })
  }

  it("requires title, type and status; detail and instance are optional strings", () => {
    const decode = Schema.decodeUnknownEither(ErrorEnvelope.envelopes[404])
    const ok = { title: "Not found", type: "errors/resource_not_found", status: 404 }
    expect(Either.isRight(decode({ ...ok, detail: "d", instance: "req_1" }))).toBe(true)
    for (const key of ["title", "type", "status"] as const) {
      const { [key]: _, ...missing } = ok
      expect(Either.isLeft(decode(missing))).toBe(true)
    }
    expect(Either.isLeft(decode({ ...ok, detail: 1 }))).toBe(true)
  })

  it("the generic envelope accepts undocumented statuses and types", () => {
    const decode = Schema.decodeUnknownEither(ErrorEnvelope.ErrorEnvelope)
    expect(Either.isRight(decode({ title: "Too many", type: "errors/rate_limited", status: 429 }))).toBe(true)
  })
})

describe("tier errors", () => {
  it("one class per tier, keyed by status, carrying the envelope", () => {
    for (const status of ErrorCatalogue.errorStatuses) {
      const Class = ApiError.byStatus[status]
      expect(Class.status).toBe(status)
      const type = ErrorCatalogue.typesOf(status)[0]!
      const envelope = { title: "T", type, status }
      const wire = ApiError.wire[status] as unknown as Schema.Schema<ApiError.ApiError, unknown>
      const error = Schema.decodeUnknownSync(wire)(envelope)
      expect(error).toBeInstanceOf(Class)
      expect(error._tag).toBe(Class._tag)
      expect(error.message).toBe(`${status} ${type}: T`)
      // The wire form is the plain envelope: no `_tag`.
      expect(Schema.encodeSync(wire)(error)).toEqual(envelope)
    }
  })
})
