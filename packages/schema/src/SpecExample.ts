/**
 * The spec's example response for `GET /v1/accounts/{id}`, as a value: a
 * LINKEDIN account. The mock serves it, tests decode it, and a test checks it
 * against the example block of the spec file.
 *
 * @since 0.1.0
 */
import type { LinkedInAccount } from "./Account.js"

/**
 * The example response, in its wire (JSON) form: a LINKEDIN account.
 *
 * @since 0.1.0
 * @category examples
 */
export const retrieveAccountResponse: typeof LinkedInAccount.Encoded = {
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
}
