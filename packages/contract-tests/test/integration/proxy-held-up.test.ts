/**
 * What held up under the adversarial run (issue 18), kept tested: request
 * smuggling shapes are refused before they reach the target, slowloris
 * connections do not stop service, a large answer streams with bounded
 * memory, many keep-alive connections are all answered, absolute-form
 * targets never reach a third host, and the proxy listens on 127.0.0.1.
 */

import * as Http from "node:http"
import * as Net from "node:net"
import { describe, expect, it } from "vitest"
import { send, startOrigin, withProxy } from "../proxy-support.js"

/** Writes raw bytes to the proxy and collects what comes back until the socket closes (or 2 s pass). */
const rawExchange = (url: string, bytes: string): Promise<string> =>
  new Promise((resolve) => {
    const { port } = new URL(url)
    const socket = Net.connect(Number(port), "127.0.0.1", () => socket.write(bytes))
    let got = ""
    const timer = setTimeout(() => socket.destroy(), 2000)
    socket.on("data", (c) => {
      got += c.toString("latin1")
    })
    socket.on("error", () => {})
    socket.on("close", () => {
      clearTimeout(timer)
      resolve(got)
    })
  })

describe("what held up", () => {
  it("listens on 127.0.0.1 by default", async () => {
    const origin = await startOrigin({})
    try {
      const { result } = await withProxy({ target: `${origin.url}/api` }, async (url) => url)
      expect(result).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    } finally {
      await origin.stop()
    }
  })

  it("request smuggling shapes are refused before they reach the target; service goes on", async () => {
    let seen = 0
    const origin = await startOrigin({
      "/api/v1/accounts/x": (_req, res) => {
        seen++
        res.writeHead(404, { "content-type": "application/json" })
        res.end("{}")
      }
    })
    const shapes = [
      "POST /v1/accounts/x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /v1/accounts/x HTTP/1.1\r\nHost: a\r\n\r\n",
      "POST /v1/accounts/x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
      "POST /v1/accounts/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
      "POST /v1/accounts/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
      "POST /v1/accounts/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
      "GET /v1/accounts/x HTTP/1.1\nHost: a\n\n"
    ]
    try {
      const { result } = await withProxy({ target: `${origin.url}/api` }, async (url) => {
        const answers = []
        for (const shape of shapes) answers.push(await rawExchange(url, shape))
        const after = await send(url, "/v1/accounts/x")
        return { answers, after: after.status }
      })
      // None reached the target as a second, smuggled request.
      expect(seen).toBeLessThanOrEqual(1)
      for (const answer of result.answers) expect(answer).not.toMatch(/HTTP\/1\.1 404[\s\S]*HTTP\/1\.1 404/)
      expect(result.after).toBe(404)
    } finally {
      await origin.stop()
    }
  })

  it("200 slowloris connections do not stop normal service", async () => {
    const origin = await startOrigin({})
    const slow: Array<Net.Socket> = []
    try {
      const { result } = await withProxy({ target: `${origin.url}/api` }, async (url) => {
        const { port } = new URL(url)
        // Each connection open and its half a header section written (flushed) before the request that must get through.
        const opened = Array.from(
          { length: 200 },
          () =>
            new Promise<void>((resolve) => {
              const socket = Net.connect(Number(port), "127.0.0.1", () =>
                socket.write("GET /v1/accounts/x HTTP/1.1\r\nHost: a\r\nX-Slow: ", () => resolve())
              )
              socket.on("error", () => resolve())
              slow.push(socket)
            })
        )
        await Promise.all(opened)
        return (await send(url, "/v1/accounts/y")).status
      })
      expect(result).toBe(404)
    } finally {
      for (const socket of slow) socket.destroy()
      await origin.stop()
    }
  })

  it("a 512 MB answer streams through whole with bounded memory", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61)
    const origin = await startOrigin({
      "/api/v1/accounts/huge": (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        let sent = 0
        const pump = () => {
          while (sent < 512) {
            sent++
            if (!res.write(chunk)) return res.once("drain", pump)
          }
          res.end()
        }
        pump()
      }
    })
    try {
      const before = process.memoryUsage().rss
      let peak = before
      const { result, report } = await withProxy(
        { target: `${origin.url}/api` },
        (url) =>
          new Promise<number>((resolve, reject) => {
            const u = new URL(url)
            Http.get({ host: u.hostname, port: u.port, path: "/v1/accounts/huge" }, (res) => {
              let size = 0
              res.on("data", (c: Buffer) => {
                size += c.length
                peak = Math.max(peak, process.memoryUsage().rss)
              })
              res.on("end", () => resolve(size))
            }).on("error", reject)
          })
      )
      expect(result).toBe(512 * 1024 * 1024)
      // The proxy keeps at most the body limit (16 MiB); the rest only streams (generous margin).
      expect((peak - before) / 1024 / 1024).toBeLessThan(200)
      expect(report.traffic.notJudgedBy.over_limit).toBe(1)
    } finally {
      await origin.stop()
    }
  }, 60_000)

  it("300 keep-alive connections, 3 requests each: every one answered", async () => {
    const origin = await startOrigin({})
    try {
      const { result } = await withProxy({ target: `${origin.url}/api` }, async (url) => {
        const u = new URL(url)
        const agent = new Http.Agent({ keepAlive: true, maxSockets: 300 })
        const one = () =>
          new Promise<number>((resolve) => {
            Http.get({ host: u.hostname, port: u.port, path: "/v1/accounts/k", agent }, (res) => {
              res.resume()
              res.on("end", () => resolve(res.statusCode ?? 0))
            }).on("error", () => resolve(-1))
          })
        const statuses: Array<number> = []
        for (let round = 0; round < 3; round++) statuses.push(...(await Promise.all(Array.from({ length: 300 }, one))))
        agent.destroy()
        return statuses
      })
      expect(result.filter((s) => s === 404)).toHaveLength(900)
    } finally {
      await origin.stop()
    }
  })

  it("an absolute-form target is not relayed to a third host", async () => {
    let third = 0
    const elsewhere = await startOrigin({
      "/v1/accounts/x": (_req, res) => {
        third++
        res.end("third")
      }
    })
    const origin = await startOrigin({})
    try {
      const { result } = await withProxy({ target: `${origin.url}/api` }, (url) =>
        rawExchange(url, `GET ${elsewhere.url}/v1/accounts/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`)
      )
      expect(third).toBe(0)
      expect(result).not.toContain("third")
    } finally {
      await elsewhere.stop()
      await origin.stop()
    }
  })
})
