/**
 * The text of an error a platform or Node API raised (a `PlatformError`'s
 * description, an `Error`'s message): what the proxy's and the report
 * writers' one-line errors say. A leaf any stage may use.
 *
 * @since 0.1.0
 */

/**
 * The description of a `PlatformError` (`ENOENT: no such file…`), else the
 * message, else the value as text.
 *
 * @internal
 */
export const messageOf = (error: unknown): string => {
  const e = error as { readonly message?: unknown; readonly description?: unknown }
  return typeof e.description === "string" && e.description !== ""
    ? e.description
    : typeof e.message === "string"
      ? e.message
      : String(error)
}
