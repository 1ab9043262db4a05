// Runs the root README's CI example VERBATIM: every `run:` step of the YAML
// block under "Running the suite against staging in CI", in order, with bash,
// in the folder given, with the step's `env:` names set to the values given
// (a local mock stands in for staging). Exits with the first failing step's
// code, so `scripts/consumer-example.sh` can check the example exits 0 and
// then look for the reports it promises.
//
//   node scripts/readme-ci-example.mjs README.md WORKDIR '{"STAGING_URL":"http://127.0.0.1:4010", ...}'
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"

const [readmePath, workdir, valuesJson] = process.argv.slice(2)
if (readmePath === undefined || workdir === undefined || valuesJson === undefined) {
  console.error("usage: readme-ci-example.mjs README.md WORKDIR VALUES_JSON")
  process.exit(2)
}
const values = JSON.parse(valuesJson)
const readme = readFileSync(readmePath, "utf8")
const section = readme.split(/^### Running the suite against staging in CI$/m)[1]
const block = section?.match(/```yaml\n([\s\S]*?)```/)?.[1]
if (block === undefined) {
  console.error("readme-ci-example: no ```yaml block under '### Running the suite against staging in CI'")
  process.exit(2)
}

/** The `run:` steps: command text (folded `>` blocks joined with spaces) and the step's env names. */
const steps = []
const lines = block.split("\n")
const indentOf = (line) => /^ */.exec(line)[0].length
for (let i = 0; i < lines.length; i++) {
  const run = /^(\s*)(- )?run: ?(.*)$/.exec(lines[i])
  if (run === null) continue
  const keyIndent = run[1].length + (run[2] === undefined ? 0 : 2)
  let command = run[3]
  let j = i + 1
  if (command === ">" || command === "|") {
    const body = []
    while (j < lines.length && (lines[j].trim() === "" || indentOf(lines[j]) > keyIndent)) body.push(lines[j++].trim())
    command = body.filter((l) => l !== "").join(run[3] === ">" ? " " : "\n")
  }
  const env = []
  if (j < lines.length && new RegExp(`^ {${keyIndent}}env:`).test(lines[j])) {
    for (j++; j < lines.length && indentOf(lines[j]) > keyIndent; j++) {
      const name = /^\s*([A-Z_][A-Z0-9_]*):/.exec(lines[j])?.[1]
      if (name !== undefined) env.push(name)
    }
  }
  steps.push({ command, env })
}
if (steps.length === 0) {
  console.error("readme-ci-example: the CI example has no run: step")
  process.exit(2)
}

for (const { command, env } of steps) {
  const missing = env.filter((name) => values[name] === undefined)
  if (missing.length > 0) {
    console.error(`readme-ci-example: no test value for ${missing.join(", ")} (update scripts/consumer-example.sh)`)
    process.exit(2)
  }
  const stepEnv = { ...process.env }
  for (const name of Object.keys(stepEnv)) if (name.startsWith("POSTPRESS_")) delete stepEnv[name]
  for (const name of env) stepEnv[name] = values[name]
  console.log(`$ ${command}`)
  const result = spawnSync("bash", ["-euo", "pipefail", "-c", command], {
    cwd: workdir,
    env: stepEnv,
    stdio: "inherit"
  })
  if (result.status !== 0) {
    console.error(`readme-ci-example: step exited ${result.status ?? result.signal}: ${command}`)
    process.exit(result.status ?? 1)
  }
}
