/**
 * Setup of the unit project: gives every test file the plain `it.effect`.
 *
 * `@effect/vitest`'s `layer(...)` assigns its layered methods (`effect`,
 * `scoped`, `prop`, ... over ONE memoised runtime) onto vitest's shared `it`
 * object. The unit project's threads keep their module cache between files
 * (`isolate: false`, for speed), so without this a file that used `layer`
 * would hand its runtime (one shared TestClock among them) to every
 * `it.effect` of the files after it: a TestClock test then starts at the
 * previous test's time. `makeMethods` puts the per-test methods back.
 */
import { it, makeMethods } from "@effect/vitest"

// `it` IS vitest's `it` (@effect/vitest assigns its methods onto it): reassign the plain ones.
makeMethods(it)
