/**
 * `postpress` benches (part of `pnpm bench`), all on spawned processes:
 *
 * - `cli-contract-default-run`: wall time of `postpress contract` with no
 *   arguments (embedded mock, all checks), the built program (`node dist/…`)
 *   side by side with the same program run from source through tsx (what the
 *   root `pnpm contract` script does). Target ≤ 1.5 s.
 * - `cli-accounts-get`: wall time of `postpress accounts get` against a
 *   loopback server, built vs tsx. Target ≤ 0.8 s.
 * - `install-<package>-mb` / `install-<package>-packages`: each published
 *   package installed alone from its `pnpm pack` tarball (plus the tarballs of
 *   the @postpress packages it depends on) with npm, peers included, into an
 *   empty folder: size of `node_modules` and number of packages. Needs the npm
 *   registry; written as "skipped" (not a number) with the reason when `npm
 *   install` fails.
 *
 * The loopback server answers the account asked for (its id is the requested
 * one, as the mock's are): the client's 200 rule rejects an account with
 * another id, and a bench that measures an error measures nothing.
 *
 * `--smoke`: one measured round after the warm-up (the footprint is the same:
 * packing and installing has no short version).
 */
import { spawn, spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SpecExample } from "@postpress/schema"
import { type BenchEntry, type BenchOptions, entry, sized } from "../../../scripts/bench-entry.js"
import { build, sourceBin } from "../scripts/build.js"

const root = join(import.meta.dirname, "..", "..", "..")
const tsx = join(root, "node_modules", ".bin", "tsx")

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

/**
 * One spawned run: wall time (ms). It must exit 0: the default run passes
 * against its embedded mock and the server serves the account asked for, so
 * any other exit means the bench measures an error path (and has rotted).
 */
const once = (command: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Promise<number> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on("close", (code) => {
      const elapsed = performance.now() - started
      if (code === 0) resolve(elapsed)
      else {
        const said = stderr.trim().split("\n").pop()?.slice(0, 200) ?? ""
        reject(new Error(`\`${args.filter((a) => !a.startsWith("/")).join(" ")}\` exited ${code}: ${said}`))
      }
    })
  })

/** Median wall time (ms) of `rounds` sequential runs after one warm-up. */
const wall = async (
  rounds: number,
  command: string,
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv = {}
): Promise<number> => {
  const times: Array<number> = []
  for (let round = 0; round <= rounds; round++) {
    const elapsed = await once(command, args, env)
    if (round > 0) times.push(elapsed)
  }
  return median(times)
}

/** The spec's example account under the id the request asks for (`/…/v1/accounts/{id}`). */
const accountBody = (url: string | undefined): string => {
  const segment = (url ?? "").split("?")[0]!.split("/").pop() ?? ""
  return JSON.stringify({ ...SpecExample.retrieveAccountResponse, id: decodeURIComponent(segment) })
}

const startServer = async () => {
  const server = createServer((req, res) => {
    req.resume()
    const body = accountBody(req.url)
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) }
}

const startup = async (bin: string, rounds: number): Promise<ReadonlyArray<BenchEntry>> => {
  const fromSource = ["--conditions=@postpress/source", sourceBin]
  const contractBuilt = await wall(rounds, process.execPath, [bin, "contract"])
  const contractTsx = await wall(rounds, tsx, [...fromSource, "contract"])
  const server = await startServer()
  try {
    const env = { POSTPRESS_API_KEY: "pp_bench_key_0123456789", POSTPRESS_BASE_URL: "" }
    const args = ["accounts", "get", "--base-url", `${server.origin}/api`, "acc_bench"]
    const getBuilt = await wall(rounds, process.execPath, [bin, ...args], env)
    const getTsx = await wall(rounds, tsx, [...fromSource, ...args], env)
    return [
      entry("cli-contract-default-run", contractBuilt, contractTsx, "ms", {
        lowerIsBetter: true,
        note: `spawned \`node dist/postpress.js contract\` (embedded mock, all checks) vs tsx from source; median of ${rounds}; target ≤ 1500 ms`
      }),
      entry("cli-accounts-get", getBuilt, getTsx, "ms", {
        lowerIsBetter: true,
        note: `spawned \`postpress accounts get\` against a loopback server vs tsx from source; median of ${rounds}; target ≤ 800 ms`
      })
    ]
  } finally {
    await server.close()
  }
}

const sizeOf = (path: string): number => {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (stat === undefined || stat.isSymbolicLink()) return 0
  if (!stat.isDirectory()) return stat.size
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0)
}

/** Package folders under `node_modules`, nested ones included. */
const packagesIn = (modules: string): number => {
  let count = 0
  for (const name of readdirSync(modules, { withFileTypes: true })) {
    if (!name.isDirectory() || name.name.startsWith(".")) continue
    const dirs = name.name.startsWith("@")
      ? readdirSync(join(modules, name.name)).map((scoped) => join(modules, name.name, scoped))
      : [join(modules, name.name)]
    for (const dir of dirs) {
      count++
      const nested = join(dir, "node_modules")
      if (statSync(nested, { throwIfNoEntry: false })?.isDirectory()) count += packagesIn(nested)
    }
  }
  return count
}

const packages = ["schema", "client", "testkit", "contract-tests", "cli"] as const
const footprintEntries = packages.flatMap((name) => [`install-${name}-mb`, `install-${name}-packages`])
/** The @postpress tarballs each one needs (not on the registry while unpublished). */
const needs: Record<(typeof packages)[number], ReadonlyArray<(typeof packages)[number]>> = {
  schema: ["schema"],
  client: ["schema", "client"],
  testkit: ["schema", "testkit"],
  "contract-tests": ["schema", "testkit", "contract-tests"],
  cli: ["cli"]
}

const footprint = async (): Promise<ReadonlyArray<BenchEntry>> => {
  const work = mkdtempSync(join(tmpdir(), "postpress-footprint-"))
  try {
    // Type errors elsewhere in the tree still leave dist/ emitted; say so rather than stop.
    const built = spawnSync("pnpm", ["exec", "tsc", "-b", "tsconfig.build.json"], { cwd: root, stdio: "ignore" })
    const buildNote = built.status === 0 ? "" : " (tsc -b reported errors; dist/ as emitted)"
    for (const name of packages) {
      if (
        name !== "cli" &&
        statSync(join(root, "packages", name, "dist", "index.js"), { throwIfNoEntry: false }) === undefined
      ) {
        throw new Error(`packages/${name}/dist was not built`)
      }
    }
    await build()
    const packs = join(work, "packs")
    mkdirSync(packs)
    const tarballs: Record<string, string> = {}
    for (const name of packages) {
      const packed = spawnSync("pnpm", ["pack", "--pack-destination", packs], {
        cwd: join(root, "packages", name),
        encoding: "utf8"
      })
      if (packed.status !== 0) throw new Error(`pnpm pack ${name}: ${packed.stderr}`)
      tarballs[name] = packed.stdout.trim().split("\n").pop() ?? ""
    }
    return packages.flatMap((name) => {
      const dir = join(work, name)
      mkdirSync(dir)
      writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: `footprint-${name}`, private: true })}\n`)
      const installed = spawnSync(
        "npm",
        ["install", "--no-package-lock", "--no-audit", "--no-fund", ...needs[name].map((n) => tarballs[n] ?? "")],
        { cwd: dir, encoding: "utf8" }
      )
      if (installed.status !== 0) throw new Error(`npm install ${name}: ${installed.stderr.slice(-500)}`)
      const modules = join(dir, "node_modules")
      const count = packagesIn(modules)
      const mb = sizeOf(modules) / 1e6
      const note = `npm install of the ${name} tarball${needs[name].length > 1 ? ` (+ ${needs[name].filter((n) => n !== name).join(", ")})` : ""} with its peers${buildNote}`
      return [
        { name: `install-${name}-mb`, ours: mb, peer: null, unit: "MB", ratio: null, note },
        { name: `install-${name}-packages`, ours: count, peer: null, unit: "packages", ratio: null, note }
      ]
    })
  } catch (error) {
    const note = `skipped: ${error instanceof Error ? error.message : String(error)}`
    return footprintEntries.map((name) => ({
      name,
      ours: Number.NaN,
      peer: null,
      unit: name.endsWith("-mb") ? "MB" : "packages",
      ratio: null,
      note
    }))
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** The entries this module writes. */
export const entries: ReadonlyArray<string> = ["cli-contract-default-run", "cli-accounts-get", ...footprintEntries]

export default async (options: BenchOptions): Promise<ReadonlyArray<BenchEntry>> => {
  const dir = mkdtempSync(join(tmpdir(), "postpress-cli-bench-"))
  try {
    const bin = await build(join(dir, "dist"))
    return [...(await startup(bin, sized(options, 5, 1))), ...(await footprint())]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
