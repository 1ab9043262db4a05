/**
 * The hosts a documentation snippet may connect to when the docs test runs it
 * (see loopbackOnly.ts): the loopback interface, nothing else.
 */
const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost", "[::1]"])

/** True for the hosts a snippet may connect to. */
export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host)
