/**
 * The root package.json scripts as people run them (`pnpm -s mock`,
 * `pnpm -s postpress …`): stdout is the program's own (no pnpm banner), and
 * a signal to the pnpm process ends the program itself. The scripts `exec`
 * ONE node process (`node --import tsx`, never the tsx CLI, which starts a
 * second node that pnpm's signal never reaches): the test sends SIGTERM or
 * SIGINT to pnpm, then awaits the port refusing connections (a poll with a
 * 2 s deadline) and finds no live process left in the process group; the
 * suite (`pnpm -s contract`) is interrupted mid-request and exits 143.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { createServer } from "node:http"
import { type AddressInfo, connect, type Socket } from "node:net"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../../../../", import.meta.url))

const environment = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("POSTPRESS_"))
  ) as NodeJS.ProcessEnv

/** `pnpm -s …` in a process group of its own (its pid is the group's id). */
const pnpm = (args: ReadonlyArray<string>) =>
  spawn("pnpm", ["-s", ...args], { cwd: root, detached: true, env: environment(), stdio: ["ignore", "pipe", "pipe"] })

/** Everything on stdout, and the first line as soon as it is complete. */
const output = (child: ChildProcess) => {
  let stdout = ""
  let stderr = ""
  let resolveLine: (line: string) => void = () => {}
  let rejectLine: (error: Error) => void = () => {}
  const firstLine = new Promise<string>((resolve, reject) => {
    resolveLine = resolve
    rejectLine = reject
  })
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString()
    const nl = stdout.indexOf("\n")
    if (nl !== -1) resolveLine(stdout.slice(0, nl))
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  // pnpm's own exit; `closed` waits for every holder of its pipes (a process left behind holds them open).
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      rejectLine(new Error(`exited ${code} before a line; stderr: ${stderr}`))
      resolve(code)
    })
  )
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()))
  // A test that never reads the first line (the suite prints none before the signal) must not leave its
  // rejection unhandled; a test that awaits it still sees it.
  firstLine.catch(() => {})
  return { firstLine, exited, closed, stdout: () => stdout, stderr: () => stderr }
}

/** Resolves true once nothing accepts on `port` (connection refused), false at the deadline. */
const portFreed = async (port: number, deadline: number): Promise<boolean> => {
  while (Date.now() < deadline) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port })
      socket.once("connect", () => {
        socket.destroy()
        resolve(false)
      })
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"))
    })
    if (refused) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

/** The live (not zombie) processes of a process group, from /proc. */
const liveInGroup = (group: number): Array<string> =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
        // pid (comm) state ppid pgrp …: comm may hold spaces, so read after its closing parenthesis.
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
        return Number(pgrp) === group && state !== "Z" ? [`${pid} ${stat.slice(0, stat.lastIndexOf(")") + 1)}`] : []
      } catch {
        return [] // ended meanwhile
      }
    })

const linux = process.platform === "linux"

describe.skipIf(!linux)("pnpm scripts", () => {
  it.each([
    ["mock", "SIGTERM", ["mock", "--port", "0"]],
    ["postpress mock", "SIGINT", ["postpress", "mock", "--port", "0"]]
  ] as const)(
    "pnpm -s %s: one JSON line on stdout, one line on stderr; %s to pnpm frees the port within 2 s, no process left",
    async (_, signal, args) => {
      const child = pnpm(args)
      const group = child.pid ?? 0
      const out = output(child)
      try {
        const info = JSON.parse(await out.firstLine) as { url: string; apiKey: string; accountIds: Array<string> }
        const port = Number(new URL(info.url).port)
        expect(info.apiKey).toMatch(/^pp_/)
        const res = await fetch(`${info.url}/v1/accounts/${info.accountIds[0]}`, {
          headers: { "x-api-key": info.apiKey }
        })
        expect(res.status).toBe(200)
        await res.arrayBuffer()
        const sent = Date.now()
        process.kill(group, signal)
        const code = await out.exited
        expect(await portFreed(port, sent + 2000)).toBe(true)
        expect(liveInGroup(group)).toEqual([])
        expect(code).toBe(0)
        await out.closed
        expect(
          out
            .stdout()
            .split("\n")
            .filter((line) => line !== "")
        ).toHaveLength(1)
        expect(
          out
            .stderr()
            .split("\n")
            .filter((line) => line !== "")
        ).toEqual([
          expect.stringMatching(
            new RegExp(`^mock on ${info.url} — test key ${info.apiKey.slice(0, 10)}… \\(--print key\\) — `)
          )
        ])
      } finally {
        // Whatever failed above, nothing of this test stays up.
        if (liveInGroup(group).length > 0) process.kill(-group, "SIGKILL")
      }
    }
  )

  it("pnpm -s contract: SIGTERM to pnpm interrupts the suite mid-request (the server sees its socket close), nothing left", async () => {
    let arrived: (socket: Socket) => void = () => {}
    const firstRequest = new Promise<Socket>((resolve) => {
      arrived = resolve
    })
    // A server that takes requests and never answers: the suite is mid-request when the signal comes.
    const server = createServer((req) => arrived(req.socket))
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as AddressInfo
    const child = spawn("pnpm", ["-s", "contract", "--base-url", `http://127.0.0.1:${port}`, "--timeout", "1m"], {
      cwd: root,
      detached: true,
      env: { ...environment(), POSTPRESS_API_KEY: "pp_test_signal_key_1234", POSTPRESS_ACCOUNT_IDS: "acc_1" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    const group = child.pid ?? 0
    const out = output(child)
    try {
      const socket = await firstRequest
      const socketClosed = new Promise<void>((resolve) => socket.once("close", () => resolve()))
      process.kill(group, "SIGTERM")
      const code = await out.exited
      await socketClosed
      expect(liveInGroup(group)).toEqual([])
      expect(code).toBe(143)
    } finally {
      if (liveInGroup(group).length > 0) process.kill(-group, "SIGKILL")
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
