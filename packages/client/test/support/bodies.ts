/**
 * Bodies a loopback server pours: sizes in MiB, a body of any length (or
 * endless) written as fast as the client reads, and a gzip bomb.
 */
import type { ServerResponse } from "node:http"
import { gzipSync } from "node:zlib"

export const MiB = 1024 * 1024

/** Writes `total` bytes (endless when undefined) with backpressure, until the client goes away. */
export const pour = (res: ServerResponse, total: number | undefined, headers: Record<string, string | number>) => {
  res.on("error", () => {})
  res.writeHead(200, { "content-type": "application/json", ...headers })
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  let sent = 0
  const write = () => {
    while (!res.destroyed && (total === undefined || sent < total)) {
      const size = total === undefined ? chunk.length : Math.min(chunk.length, total - sent)
      sent += size
      if (!res.write(size === chunk.length ? chunk : chunk.subarray(0, size))) return void res.once("drain", write)
    }
    if (!res.destroyed) res.end()
  }
  write()
}

// 1 GiB of zeros as 1024 gzip members of 1 MiB each (about 1 MB on the wire).
export const bomb = (() => {
  const member = gzipSync(Buffer.alloc(MiB))
  return Buffer.concat(Array.from({ length: 1024 }, () => member))
})()
