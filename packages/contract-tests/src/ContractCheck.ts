/**
 * The named checks of the contract suite. Two kinds:
 *
 * - response checks judge EVERY response the run provokes (retried 503/504
 *   attempts included): `response_schema`, `error_envelope`, `status_code`,
 *   `content_type`, `not_a_server_error`, `key_not_reflected`;
 * - scenario checks send their own requests and judge the answer to each:
 *   `known_accounts`, `missing_credentials`, `invalid_credentials`,
 *   `not_found`, `object_level_authorization`, `hostile_ids`; plus
 *   `variant_coverage`, which reads the 200 bodies of `known_accounts`.
 *
 * Checks belong to a group: `spec` (the spec's own rules) or `security`
 * (probes beyond the spec's words: near-miss keys, path confusion,
 * credential placement). A group name selects or excludes all its checks.
 * `CheckSelectors` is that selection as a Schema (what `Contract.Config`
 * decodes `checks` and `excludeChecks` with), its message for unknown names
 * and the rule that a selection leaves a check to run written once.
 *
 * @since 0.1.0
 */
export * from "./internal/judge/checks.js"
