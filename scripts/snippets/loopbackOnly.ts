/**
 * Preloaded (`node --import`) into every documentation snippet the docs test
 * runs: a socket may connect to the loopback interface only. A snippet that
 * would reach a real server (it should be marked `compile-only`) fails here,
 * before any DNS lookup or connection, instead of leaving the machine.
 */
import * as net from "node:net"
import { isLoopback } from "./loopback.js"

const hostOf = (args: ReadonlyArray<unknown>): string | undefined => {
  const [first, second] = args
  if (Array.isArray(first)) return hostOf(first)
  if (typeof first === "object" && first !== null) {
    const options = first as { readonly host?: unknown; readonly path?: unknown }
    if (typeof options.path === "string") return undefined // a Unix socket or named pipe: local by nature
    return typeof options.host === "string" ? options.host : "localhost"
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return undefined // connect(path)
  return typeof second === "string" ? second : "localhost"
}

const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (this: net.Socket, ...args: Array<unknown>) {
  const host = hostOf(args)
  if (host !== undefined && !isLoopback(host)) {
    throw new Error(`documentation snippet tried to connect to ${host}: snippets run against loopback only`)
  }
  return (connect as (...a: Array<unknown>) => net.Socket).apply(this, args)
} as typeof net.Socket.prototype.connect
