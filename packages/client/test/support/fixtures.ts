/**
 * Test data: the spec's example account (valid) and error envelopes built
 * from the schema package's catalogue.
 */
import { ErrorCatalogue } from "@postpress/schema"

/** The spec's example response, verbatim. */
export const account = {
  object: "Account",
  type: "LINKEDIN",
  id: "acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR",
  name: "Anna - Sales",
  created_at: "2026-04-12T09:14:21.000Z",
  connection_params: {
    im: {
      id: "ACoAAB7n2J0BV5...",
      publicIdentifier: "anna-doe",
      username: "anna-doe",
      premiumId: null,
      premiumContractId: null,
      premiumFeatures: ["sales_navigator"],
      organizations: [
        {
          name: "Acme Inc.",
          messaging_enabled: true,
          organization_urn: "urn:li:organization:12345",
          mailbox_urn: "urn:li:fsd_messagingThread:abc"
        }
      ]
    }
  },
  current_signature: "sig_default",
  signatures: [{ title: "Default", content: "Sent from postpress" }],
  groups: [],
  sources: [{ id: "messaging", status: "OK" }]
} as const

export const accountJson = JSON.stringify(account)

/** A valid envelope of `type`, its status taken from the catalogue. */
export const envelope = (type: ErrorCatalogue.ErrorType, extra: Record<string, unknown> = {}) => {
  const row = ErrorCatalogue.lookup(type)
  if (row === undefined) throw new Error(`not in the catalogue: ${type}`)
  return { title: row.description, type, status: row.status, ...extra }
}
