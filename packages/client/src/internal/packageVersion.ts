/**
 * The version of @postpress/client, generated from its package.json by
 * scripts/versions.ts (`pnpm generate`). Do not edit: a test fails when it
 * differs from package.json.
 *
 * @internal
 */
export const version = "0.1.0"
