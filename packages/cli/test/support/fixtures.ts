/**
 * Test data: the spec's example account (valid) and error envelopes built
 * from the schema package's catalogue.
 */
import { ErrorCatalogue, SpecExample } from "@postpress/schema"

/** The spec's example response. */
export const account = SpecExample.retrieveAccountResponse

export const accountJson = JSON.stringify(account)

/** A valid envelope of `type`, its status taken from the catalogue. */
export const envelope = (type: ErrorCatalogue.ErrorType, extra: Record<string, unknown> = {}) => {
  const row = ErrorCatalogue.lookup(type)
  if (row === undefined) throw new Error(`not in the catalogue: ${type}`)
  return { title: row.description, type, status: row.status, ...extra }
}
