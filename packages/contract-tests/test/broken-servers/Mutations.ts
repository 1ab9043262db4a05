/**
 * The deliberately broken servers of the self-test (each the mock plus ONE
 * switch, naming the check that must catch it) and the correct controls the
 * suite must pass.
 *
 * @since 0.1.0
 */
import { Account, ApiError, ErrorCatalogue } from "@postpress/schema"
import * as Schema from "effect/Schema"
import type { Answer, Fixtures, Incoming, Mutation } from "./Proxy.js"
import { securityBroken, securityControls } from "./SecurityMutations.js"

type Json = Record<string, unknown>

const isError = (a: Answer) => a.status >= 400

/** Rewrites the JSON body of the answers `when` selects. */
const json =
  (when: (a: Answer, i: Incoming) => boolean, edit: (body: Json, i: Incoming, f: Fixtures) => Json) =>
  (a: Answer, i: Incoming, f: Fixtures): Answer =>
    when(a, i) ? { ...a, body: JSON.stringify(edit(JSON.parse(a.body) as Json, i, f)) } : a

const on200 = (edit: (body: Json, i: Incoming, f: Fixtures) => Json) => json((a) => a.status === 200, edit)
const onErrors = (edit: (body: Json, i: Incoming, f: Fixtures) => Json) => json(isError, edit)
const on404 = (edit: (body: Json) => Json) => json((a) => a.status === ApiError.NotFound.status, edit)

const envelope = (status: ErrorCatalogue.ErrorStatus, type: ErrorCatalogue.ErrorType): Answer => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ title: ErrorCatalogue.tierOf(status).title, type, status })
})

const omit = (body: Json, key: string): Json => {
  const { [key]: _, ...rest } = body
  return rest
}

const decodes = Schema.is(Account.Account)

/** A `type` whose variant rejects these `connection_params`. */
const mismatchedType = (body: Json): string =>
  Account.accountTypes.find((type) => type !== body.type && !decodes({ ...body, type })) ?? "MAIL"

const addExtras = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(addExtras)
  if (typeof value !== "object" || value === null) return value
  const out: Json = {}
  for (const [k, v] of Object.entries(value)) out[k] = addExtras(v)
  out.x_unknown_extra = { nested: true }
  return out
}

const knownId = (i: Incoming, f: Fixtures) =>
  i.id !== undefined && (f.ownIds.includes(i.id) || f.foreignIds.includes(i.id))

const plainId = (id: string | undefined) => id !== undefined && /^[A-Za-z0-9_-]+$/.test(id)

/**
 * Each violates exactly one rule.
 *
 * @since 0.1.0
 */
export const broken: ReadonlyArray<Mutation> = [
  {
    name: "field-type",
    rule: "`name` is a number",
    expect: "response_schema",
    response: on200((b) => ({ ...b, name: 42 }))
  },
  {
    name: "missing-required-key",
    rule: "`created_at` is missing",
    expect: "response_schema",
    response: on200((b) => omit(b, "created_at"))
  },
  {
    name: "datetime-format",
    rule: "`created_at` has no milliseconds",
    expect: "response_schema",
    response: on200((b) => ({ ...b, created_at: "2025-12-31T23:59:59Z" }))
  },
  {
    name: "datetime-calendar",
    rule: "`created_at` is February 30th",
    expect: "response_schema",
    response: on200((b) => ({ ...b, created_at: "2025-02-30T10:00:00.000Z" }))
  },
  {
    name: "enum-value",
    rule: "a source status outside the enum",
    expect: "response_schema",
    response: on200((b) => ({ ...b, sources: [{ id: "messaging", status: "RUNNING" }] }))
  },
  {
    name: "nullability",
    rule: "`name` is null",
    expect: "response_schema",
    response: on200((b) => ({ ...b, name: null }))
  },
  {
    name: "discriminant-mismatch",
    rule: "`type` names a variant whose connection_params do not match",
    expect: "response_schema",
    response: on200((b) => ({ ...b, type: mismatchedType(b) }))
  },
  {
    name: "unknown-type",
    rule: "`type` is not one of the 14",
    expect: "response_schema",
    response: on200((b) => ({ ...b, type: "TIKTOK" }))
  },
  {
    name: "object-literal",
    rule: '`object` is "account"',
    expect: "response_schema",
    response: on200((b) => ({ ...b, object: "account" }))
  },
  {
    name: "empty-group-id",
    rule: "a group id is empty (UniqueId length ≥ 1)",
    expect: "response_schema",
    response: on200((b) => ({ ...b, groups: [""] }))
  },
  {
    name: "wrong-tier-type",
    rule: "404 answers carry a 401-tier type",
    expect: "error_envelope",
    also: ["not_found"],
    response: on404((b) => ({ ...b, type: "errors/invalid_credentials" }))
  },
  {
    name: "undocumented-error-type",
    rule: "404 answers carry an undocumented type",
    expect: "error_envelope",
    also: ["not_found"],
    response: on404((b) => ({ ...b, type: "errors/not_found" }))
  },
  {
    name: "envelope-status-mismatch",
    rule: "envelope status differs from the HTTP status",
    expect: "error_envelope",
    response: onErrors((b) => ({ ...b, status: b.status === 400 ? 404 : 400 }))
  },
  {
    name: "missing-title",
    rule: "error envelopes have no title",
    expect: "error_envelope",
    response: onErrors((b) => omit(b, "title"))
  },
  {
    name: "error-not-json",
    rule: "401 bodies are plain text",
    expect: "error_envelope",
    also: ["missing_credentials", "invalid_credentials", "near_miss_keys", "credential_placement"],
    response: (a) => (a.status === ApiError.Unauthorized.status ? { ...a, body: "Unauthorized" } : a)
  },
  {
    name: "undocumented-status",
    rule: "a wrong key gets 403",
    expect: "status_code",
    also: ["invalid_credentials", "near_miss_keys"],
    response: (a, i, f) =>
      i.key !== undefined && i.key !== f.apiKey
        ? { ...a, status: 403, body: JSON.stringify({ ...JSON.parse(a.body), status: 403 }) }
        : a
  },
  {
    name: "ignored-auth",
    rule: "requests without a key are served",
    expect: "missing_credentials",
    also: ["credential_placement"],
    request: (i, f) => (i.key === undefined ? { ...i, key: f.apiKey } : i)
  },
  {
    name: "missing-credentials-type",
    rule: "no key answers 401 invalid_credentials",
    expect: "missing_credentials",
    also: ["credential_placement"],
    response: (a, i) => (i.key === undefined ? envelope(401, "errors/invalid_credentials") : a)
  },
  {
    name: "any-key-accepted",
    rule: "any key is accepted",
    expect: "invalid_credentials",
    also: ["near_miss_keys"],
    request: (i, f) => (i.key !== undefined ? { ...i, key: f.apiKey } : i)
  },
  {
    name: "broken-isolation",
    rule: "accounts of another workspace are served",
    expect: "object_level_authorization",
    request: (i, f) => (i.id !== undefined && f.foreignIds.includes(i.id) ? { ...i, key: f.foreignKey } : i)
  },
  {
    name: "foreign-as-401",
    rule: "accounts of another workspace answer 401 (spec: 404)",
    expect: "object_level_authorization",
    response: (a, i, f) =>
      i.id !== undefined && f.foreignIds.includes(i.id) ? envelope(401, "errors/insufficient_privileges") : a
  },
  {
    name: "unknown-ids-200",
    rule: "unknown ids answer 200 with an account",
    expect: "not_found",
    also: ["path_confusion"],
    response: (a, i, f) =>
      a.status === ApiError.NotFound.status && !knownId(i, f) && i.id !== undefined && i.id !== ""
        ? { ...a, status: 200, body: JSON.stringify({ ...f.sampleAccount, id: i.id }) }
        : a
  },
  {
    name: "id-mismatch",
    rule: "body.id is not the id as requested",
    expect: "known_accounts",
    response: on200((b) => ({ ...b, id: `${String(b.id)}-v2` }))
  },
  {
    name: "wrong-content-type",
    rule: "200 answers are text/plain",
    expect: "content_type",
    response: (a) => (a.status === 200 ? { ...a, headers: { ...a.headers, "content-type": "text/plain" } } : a)
  },
  {
    name: "error-content-type",
    rule: "errors are text/html",
    expect: "content_type",
    response: (a) => (isError(a) ? { ...a, headers: { ...a.headers, "content-type": "text/html" } } : a)
  },
  {
    name: "500-on-odd-ids",
    rule: "ids with unusual characters provoke a 500",
    expect: "hostile_ids",
    also: ["not_a_server_error", "path_confusion"],
    response: (a, i) => (plainId(i.id) ? a : envelope(500, "errors/unexpected_error"))
  },
  {
    name: "500-without-key",
    rule: "requests without a key provoke a 500",
    expect: "not_a_server_error",
    also: ["missing_credentials", "credential_placement"],
    response: (a, i) => (i.key === undefined ? envelope(500, "errors/unexpected_error") : a)
  },
  {
    name: "key-in-header",
    rule: "the key is echoed in a header",
    expect: "key_not_reflected",
    response: (a, i) => (i.key === undefined ? a : { ...a, headers: { ...a.headers, "x-debug-api-key": i.key } })
  },
  {
    name: "key-in-body",
    rule: "the key is echoed in error details",
    expect: "key_not_reflected",
    response: onErrors((b, i) => ({ ...b, detail: `no such account for key ${i.key ?? "(none)"}` }))
  },
  {
    name: "invalid-503-envelope",
    rule: "a transient 503 (retried) carries no title",
    expect: "error_envelope",
    response: (a, _i, _f, attempt) =>
      attempt === 1
        ? { ...envelope(503, "errors/service_unavailable"), body: '{"type":"errors/service_unavailable","status":503}' }
        : a
  },
  {
    name: "503-wrong-tier",
    rule: "a transient 503 (retried) carries a 504-tier type",
    expect: "error_envelope",
    response: (a, _i, _f, attempt) =>
      attempt === 1
        ? {
            ...envelope(503, "errors/service_unavailable"),
            body: JSON.stringify({ title: "x", type: "errors/request_timeout", status: 503 })
          }
        : a
  },
  // One per security probe (test/broken-servers/SecurityMutations.ts).
  ...securityBroken
]

/**
 * Correct servers: the suite must pass them (no false positives).
 *
 * @since 0.1.0
 */
export const controls: ReadonlyArray<Mutation> = [
  { name: "passthrough", rule: "the mock as is", expect: undefined },
  {
    name: "unknown-extra-fields",
    rule: "unknown extra fields everywhere (allowed)",
    expect: undefined,
    response: json(
      () => true,
      (b) => addExtras(b) as Json
    )
  },
  {
    name: "problem-json",
    rule: "errors as application/problem+json; charset on 200",
    expect: undefined,
    response: (a) => ({
      ...a,
      headers: {
        ...a.headers,
        "content-type": isError(a) ? "application/problem+json" : "application/json; charset=utf-8"
      }
    })
  },
  {
    name: "flaky",
    rule: "first attempt of every request is a valid 503 with Retry-After: 0",
    expect: undefined,
    response: (a, _i, _f, attempt) =>
      attempt === 1
        ? {
            ...envelope(503, "errors/network_down"),
            headers: { "content-type": "application/json", "retry-after": "0" }
          }
        : a
  },
  ...securityControls
]
