import { ApiError, DecodeIssue, ErrorCatalogue, ErrorEnvelope } from "@postpress/schema"
import { Duration, Either, Schema } from "effect"
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

describe("tier errors with exchange facts", () => {
  it("fromEnvelope builds the tier's class; facts show in the message and never on the wire", () => {
    const envelope = { title: "Down", type: "errors/network_down", status: 503 } as const
    const error = ApiError.fromEnvelope(envelope, {
      attempts: 3,
      requestId: "req_9",
      retryAfter: Duration.seconds(2)
    })
    expect(error).toBeInstanceOf(ApiError.ServiceUnavailable)
    expect(error).toMatchObject({ _tag: "ServiceUnavailable", attempts: 3, requestId: "req_9" })
    expect(error.message).toBe("503 errors/network_down: Down after 3 attempts")
    const wire = ApiError.wire[503] as unknown as Schema.Schema<ApiError.ApiError, unknown>
    expect(Schema.encodeSync(wire)(error)).toEqual(envelope)
    expect(ApiError.fromEnvelope(envelope).message).toBe("503 errors/network_down: Down")
  })
})

describe("ErrorEnvelope.decodeResponse", () => {
  const decode = ErrorEnvelope.decodeResponse
  const lines = (found: ErrorEnvelope.ResponseEnvelope) =>
    found._tag === "Violation" ? found.issues.map(DecodeIssue.formatIssue) : []

  it("a documented status with its tier's envelope is Documented", () => {
    const body = { title: "Nope", type: "errors/resource_not_found", status: 404, detail: "d", extra: 1 }
    expect(decode(404, body)).toEqual({
      _tag: "Documented",
      status: 404,
      envelope: { title: "Nope", type: "errors/resource_not_found", status: 404, detail: "d" }
    })
  })

  it("an undocumented status with a consistent envelope is Undocumented", () => {
    const body = { title: "Slow down", type: "errors/rate_limited", status: 429 }
    expect(decode(429, body)).toEqual({ _tag: "Undocumented", status: 429, envelope: body })
  })

  it("names every problem: foreign type, status mismatch, unknown type, not an envelope", () => {
    const foreign = decode(404, { title: "x", type: "errors/request_timeout", status: 404 })
    expect(foreign).toMatchObject({ _tag: "Violation", status: 404, envelope: { type: "errors/request_timeout" } })
    expect(lines(foreign)).toEqual([
      'type: expected one of errors/resource_not_found | errors/invalid_resource_identifier, got "errors/request_timeout"'
    ])
    const both = decode(503, { title: "x", type: "errors/teapot", status: 500 })
    expect(lines(both)).toEqual([
      "status: expected 503 (the HTTP status), got 500",
      `type: expected one of ${ErrorCatalogue.typesOf(503).join(" | ")}, got "errors/teapot"`
    ])
    expect(lines(decode(502, { title: "x", type: "errors/bad_gateway", status: 500 }))).toEqual([
      "status: expected 502 (the HTTP status), got 500"
    ])
    const notEnvelope = decode(401, "Unauthorized")
    expect(notEnvelope).toMatchObject({ _tag: "Violation", envelope: undefined })
    expect(lines(notEnvelope)[0]).toMatch(/^\(root\): expected .*got "Unauthorized"$/)
  })

  it("strict rejects properties the spec does not define", () => {
    const body = { title: "x", type: "errors/resource_not_found", status: 404, extra: 1 }
    expect(decode(404, body)._tag).toBe("Documented")
    const strict = decode(404, body, { strict: true })
    expect(lines(strict)).toEqual(["extra: unexpected property, got 1"])
  })
})
