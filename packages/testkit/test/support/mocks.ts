/**
 * Mock servers for a test file, each stopped after the test that started it.
 */
import { afterEach } from "vitest"
import { type RunningMockServer, startMockServer } from "../../src/MockServer.js"

/**
 * `start(options)`: a mock with coverage on (unless the options say
 * otherwise), stopped after the current test; `track(mock)` stops one
 * started otherwise.
 */
export const useMocks = () => {
  const started: Array<RunningMockServer> = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map((mock) => mock.stop()))
  })
  const track = (mock: RunningMockServer): RunningMockServer => {
    started.push(mock)
    return mock
  }
  const start = async (options: Parameters<typeof startMockServer>[0] = {}) =>
    track(await startMockServer({ coverage: true, ...options }))
  return { start, track }
}
