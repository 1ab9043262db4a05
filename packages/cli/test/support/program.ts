/**
 * The built `postpress` program as a subprocess: `run` waits for it and
 * returns exit code and output, `start` hands back the child for tests that
 * talk to it or signal it. The inherited environment never carries a real
 * POSTPRESS_* variable into a test.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { AccountsApi } from "@postpress/schema"
import { inject } from "vitest"

export interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export const bin = (): string => inject("postpressBin")

const environment = (env: Record<string, string | undefined>) => {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("POSTPRESS_")))
  return { ...inherited, NO_COLOR: "1", ...env } as NodeJS.ProcessEnv
}

export const start = (
  args: ReadonlyArray<string>,
  env: Record<string, string | undefined> = {}
): ChildProcessWithoutNullStreams => spawn(process.execPath, [bin(), ...args], { env: environment(env) })

/** Collects output until the child exits. */
export const completion = (child: ChildProcessWithoutNullStreams): Promise<Run> =>
  new Promise((resolve) => {
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  })

export const run = (args: ReadonlyArray<string>, env: Record<string, string | undefined> = {}): Promise<Run> =>
  completion(start(args, env))

/** The first line the child prints on stdout. */
export const firstLine = (child: ChildProcessWithoutNullStreams): Promise<string> =>
  new Promise((resolve, reject) => {
    let buffer = ""
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString()
      const nl = buffer.indexOf("\n")
      if (nl !== -1) resolve(buffer.slice(0, nl))
    })
    child.on("exit", (code) => reject(new Error(`exited ${code} before printing a line`)))
  })

/** A failure is one line on stderr, and never a stack trace. */
export const oneLine = (stderr: string): string => {
  const lines = stderr.split("\n").filter((line) => line !== "")
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}:\n${stderr}`)
  if (/\n\s+at /.test(stderr)) throw new Error(`stack trace on stderr:\n${stderr}`)
  return lines[0] ?? ""
}

/** `GET {url}/v1/accounts/{id}` with the key (and `headers`), its body read (the connection freed): its status. */
export const accountStatus = async (
  url: string,
  id: string,
  apiKey: string,
  headers: Record<string, string> = {}
): Promise<number> => {
  const res = await fetch(`${url}/v1/accounts/${id}`, { headers: { [AccountsApi.apiKeyHeader]: apiKey, ...headers } })
  await res.arrayBuffer()
  return res.status
}
