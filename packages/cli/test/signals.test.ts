/**
 * SIGINT/SIGTERM interrupt the program: the in-flight request is aborted
 * (the server sees its socket close) and the process exits 130/143. The
 * servers here accept requests and never answer.
 */
import type { Socket } from "node:net"
import { describe, expect, it } from "vitest"
import { type Loopback, listen } from "../../client/test/support/server.js"
import { completion, start } from "./support/program.js"

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
