/**
 * The import graph of the workspace, checked by `pnpm lint` (`depcruise`):
 * one named rule per arrow of the design (issue 25, `../shared/design`), so a
 * backwards import fails the lint with the rule that names the arrow.
 *
 * Packages: schema → nothing of ours; client → schema; testkit → schema;
 * contract-tests → schema, testkit; schema-diff → schema; cli → all of them.
 *
 * Inside contract-tests, one folder per stage, imports flowing one way:
 * sources/<x> → judge, report (and the testkit); judge → itself; report →
 * judge; render → report. Faces (`src/*.ts`) import internals, never each
 * other; internal code never imports a face. Type-only imports count
 * (`tsPreCompilationDeps`), and no module may be part of a circle.
 *
 * @type {import("dependency-cruiser").IConfiguration}
 */
const src = (pkg) => `^packages/${pkg}/src/`
const ct = "^packages/contract-tests/src/internal/"
const barrel = "^packages/[^/]+/src/index\\.ts$"

/** `from` may import nothing of these packages (their sources, through the workspace condition). */
const packageArrow = (name, comment, from, forbidden) => ({
  name,
  comment,
  severity: "error",
  from: { path: src(from) },
  to: { path: `^packages/(${forbidden.join("|")})/` }
})

/** Inside contract-tests: a stage folder may not import these folders. */
const stageArrow = (name, comment, from, forbidden) => ({
  name,
  comment,
  severity: "error",
  from: { path: `${ct}${from}/` },
  to: { path: `${ct}(${forbidden.join("|")})/` }
})

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No module is part of a circle, type-only imports included: move the shared piece down.",
      severity: "error",
      from: {},
      to: { circular: true }
    },
    {
      name: "no-orphans",
      comment: "An internal module nobody imports is dead code (faces and barrels are entry points).",
      severity: "error",
      from: { orphan: true, path: "^packages/[^/]+/src/internal/" },
      to: {}
    },

    {
      name: "not-to-unresolvable",
      comment: "Every import resolves (a typo or a removed module fails here, not at run time).",
      severity: "error",
      from: {},
      to: { couldNotResolve: true }
    },
    {
      name: "no-undeclared-dependencies",
      comment:
        "A package imports only what its package.json declares: a dependency found through hoisting would be missing for a consumer who installs the tarball.",
      severity: "error",
      from: { path: "^packages/" },
      to: {
        dependencyTypes: ["npm-no-pkg", "npm-unknown"],
        // vitest is contract-tests' optional peer, installed at the root: declared, so fine.
        dependencyTypesNot: ["npm", "npm-dev", "npm-peer", "npm-optional"]
      }
    },

    packageArrow("schema-imports-nothing-of-ours", "@postpress/schema is the root of the graph.", "schema", [
      "client",
      "testkit",
      "contract-tests",
      "schema-diff",
      "cli"
    ]),
    packageArrow("client-imports-only-schema", "@postpress/client → @postpress/schema.", "client", [
      "testkit",
      "contract-tests",
      "schema-diff",
      "cli"
    ]),
    packageArrow(
      "testkit-imports-only-schema",
      "@postpress/testkit (what a service's own tests import) → @postpress/schema: no suite, proxy, HAR or renderer code.",
      "testkit",
      ["client", "contract-tests", "schema-diff", "cli"]
    ),
    packageArrow(
      "contract-tests-imports-schema-and-testkit",
      "@postpress/contract-tests → @postpress/schema, @postpress/testkit (the embedded mock, the arbitraries).",
      "contract-tests",
      ["client", "schema-diff", "cli"]
    ),
    packageArrow(
      "schema-diff-imports-only-schema",
      "@postpress/schema-diff (judges documents, not servers) → @postpress/schema at most.",
      "schema-diff",
      ["client", "testkit", "contract-tests", "cli"]
    ),
    {
      name: "no-reaching-into-another-package",
      comment: "Another package's src/internal is closed (`./internal/*: null`): import its public modules.",
      severity: "error",
      from: { path: "^packages/([^/]+)/" },
      to: { path: "^packages/[^/]+/src/internal/", pathNot: "^packages/$1/" }
    },

    {
      name: "internal-never-imports-a-face",
      comment:
        "Internal code never imports a public face (`src/*.ts`): faces import internals. (The client, another session's area, is not under this rule yet: its internals build ClientError.)",
      severity: "error",
      from: { path: "^packages/(schema|testkit|contract-tests|schema-diff|cli)/src/internal/" },
      to: { path: "^packages/$1/src/[^/]+\\.ts$" }
    },
    {
      name: "faces-do-not-import-faces",
      comment:
        "A face of contract-tests or the testkit imports internals, never another face (the barrel aside): what two faces share lives in an internal module.",
      severity: "error",
      from: { path: "^packages/(contract-tests|testkit)/src/[^/]+\\.ts$", pathNot: barrel },
      to: { path: "^packages/$1/src/[^/]+\\.ts$" }
    },
    {
      name: "internal-leaves-are-leaves",
      comment: "The modules at the root of contract-tests' internal/ (messageOf, packageVersion) import no stage.",
      severity: "error",
      from: { path: `${ct}[^/]+\\.ts$` },
      to: { path: ct }
    },

    stageArrow("judge-imports-only-judge", "judge/: one exchange in, findings out; it needs no other stage.", "judge", [
      "report",
      "render",
      "sources"
    ]),
    {
      name: "judge-and-report-do-not-import-the-testkit",
      comment: "The judge and the report model stand on the schema alone.",
      severity: "error",
      from: { path: `${ct}(judge|report)/` },
      to: { path: "^packages/testkit/" }
    },
    stageArrow("report-imports-only-judge", "report/: findings → the report model; it reads the judge.", "report", [
      "render",
      "sources"
    ]),
    stageArrow(
      "render-imports-only-report",
      "render/: the report model → text; what it shows reaches it through the report (the catalogue re-exported by report/model).",
      "render",
      ["judge", "sources"]
    ),
    stageArrow(
      "sources-do-not-import-render",
      "sources/: exchanges in, a report out; rendering is the caller's (a face's) business.",
      "sources",
      ["render"]
    ),
    {
      name: "sources-do-not-import-each-other",
      comment: "The suite, the proxy and the HAR reader share the judge and the report, never each other.",
      severity: "error",
      from: { path: `${ct}sources/([^/]+)/` },
      to: { path: `${ct}sources/`, pathNot: `${ct}sources/$1/` }
    }
  ],
  options: {
    // The packages' sources; what they import from node_modules is checked (declared?) but not followed.
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    // Workspace packages resolve to their sources (the `@postpress/source` export condition), like
    // tsc, vitest and the CLI's bundle: the graph is the one the code is built from.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["@postpress/source", "import", "types", "node", "default"],
      extensions: [".ts", ".js"],
      mainFields: ["module", "main", "types"]
    },
    reporterOptions: {
      text: { highlightFocused: true }
    }
  }
}
