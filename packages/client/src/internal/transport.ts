/**
 * Classifying why a request got no response. Node and undici report the
 * reason as a `code` somewhere down a `cause` chain (or inside an
 * AggregateError when several addresses were tried).
 *
 * @internal
 */
import type { TransportReason } from "../ClientError.js"

const reasons: Readonly<Record<string, TransportReason>> = {
  ECONNREFUSED: "ConnectionRefused",
  ECONNRESET: "ConnectionReset",
  EPIPE: "ConnectionReset",
  UND_ERR_SOCKET: "ConnectionReset",
  UND_ERR_CLOSED: "ConnectionReset",
  ENOTFOUND: "DnsFailure",
  EAI_AGAIN: "DnsFailure",
  EAI_NONAME: "DnsFailure",
  EAI_FAIL: "DnsFailure"
}

interface Found {
  readonly code: string | undefined
  readonly message: string | undefined
}

const walk = (u: unknown, depth: number): Found => {
  if (typeof u !== "object" || u === null || depth > 8) return { code: undefined, message: undefined }
  const record = u as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown }
  const own: Found = {
    code: typeof record.code === "string" ? record.code : undefined,
    message: typeof record.message === "string" && record.message !== "" ? record.message : undefined
  }
  // Prefer the innermost code: wrappers ("fetch failed", "Transport error") say less.
  const inner = walk(record.cause ?? (Array.isArray(record.errors) ? record.errors[0] : undefined), depth + 1)
  if (inner.code !== undefined) return inner
  if (own.code !== undefined) return own
  return { code: undefined, message: inner.message ?? own.message }
}

/** @internal */
export const classify = (cause: unknown): { reason: TransportReason; code: string | undefined; detail: string } => {
  const found = walk(cause, 0)
  const reason = (found.code === undefined ? undefined : reasons[found.code]) ?? "Other"
  return { reason, code: found.code, detail: found.message ?? found.code ?? "request failed" }
}
