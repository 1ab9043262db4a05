/**
 * What only the spawned program can show. SIGINT/SIGTERM interrupt it: the
 * in-flight request is aborted (the server sees its socket close) and the
 * process exits 130/143 (the servers here accept requests and never answer).
 * And output reaches a pipe whole before exit, even through a slow reader.
 */
import type { Socket } from "node:net"
import { describe, expect, it } from "vitest"
import { envelope } from "../../../client/test/support/fixtures.js"
import { json, type Loopback, listen } from "../../../client/test/support/server.js"
import { completion, start } from "../support/program.js"

interface Silent {
  readonly server: Loopback
  /** Resolves with the socket of the first request. */
  readonly firstRequest: Promise<Socket>
}

const silentServer = async (): Promise<Silent> => {
  let arrived: (socket: Socket) => void = () => {}
  const firstRequest = new Promise<Socket>((resolve) => {
    arrived = resolve
  })
  const server = await listen((req) => arrived(req.socket))
  return { server, firstRequest }
}

const closed = (socket: Socket) =>
  new Promise<void>((resolve) => {
    if (socket.destroyed) resolve()
    else socket.once("close", () => resolve())
  })

const cases = [
  ["SIGINT", 130],
  ["SIGTERM", 143]
] as const

describe.concurrent("signals", () => {
  it.each(cases)("accounts get: %s aborts the request and exits %i", async (signal, code) => {
    const { server, firstRequest } = await silentServer()
    try {
      const child = start(["accounts", "get", "--base-url", server.origin, "--timeout", "1m", "acc_1"], {
        POSTPRESS_API_KEY: "pp_test_signal_key_1234"
      })
      const done = completion(child)
      const socket = await firstRequest
      child.kill(signal)
      const result = await done
      await closed(socket)
      expect(result.code).toBe(code)
      expect(result.stdout).toBe("")
      expect(result.stderr).not.toMatch(/\n\s+at /)
    } finally {
      await server.close()
    }
  })

  it.each(cases)("contract: %s aborts the run and exits %i", async (signal, code) => {
    const { server, firstRequest } = await silentServer()
    try {
      const child = start(["contract", "--base-url", server.origin, "--account-id", "acc_1", "--timeout", "1m"], {
        POSTPRESS_API_KEY: "pp_test_signal_key_1234"
      })
      const done = completion(child)
      const socket = await firstRequest
      child.kill(signal)
      const result = await done
      await closed(socket)
      expect(result.code).toBe(code)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    } finally {
      await server.close()
    }
  })
})

describe("output through a pipe", () => {
  it("a non-zero exit waits until a slow reader has every byte (1 MB error line on stderr)", async () => {
    const detail = "d".repeat(1_000_000)
    const server = await listen((_req, res) => json(res, 404, envelope("errors/resource_not_found", { detail })))
    try {
      const child = start(["accounts", "get", "--base-url", server.origin, "missing"], {
        POSTPRESS_API_KEY: "pp_test_pipe_key_1234"
      })
      // Read nothing for a while: the pipe (64 KiB) fills and the program's writes wait for us.
      child.stderr.pause()
      const done = completion(child)
      await new Promise((resolve) => setTimeout(resolve, 500))
      child.stderr.resume()
      const result = await done
      expect(result.code).toBe(1)
      const line = JSON.parse(result.stderr) as { readonly _tag: string; readonly detail: string }
      expect(line._tag).toBe("NotFound")
      expect(line.detail).toHaveLength(detail.length)
    } finally {
      await server.close()
    }
  })
})
