/**
 * A run that writes reports ends by saying where they went: `reports: …`,
 * the paths as given (escaped), as the LAST line of the human stream:
 * stdout for the suite and the HAR reader, stderr when a report took stdout
 * (`--json -`). Whatever the verdict (a HAR with nothing to judge is
 * inconclusive, and its reports are written and named all the same).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { harText } from "../../../contract-tests/test/support/har.js"
import { run } from "../support/program.js"

const dir = mkdtempSync(join(tmpdir(), "postpress-report-paths-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1)

/** A HAR 1.2 recording with one exchange that is not the operation: read, judged inconclusive, reported. */
const har = (path: string) =>
  writeFileSync(path, harText([{ url: "http://127.0.0.1:9/elsewhere", mimeType: "text/plain" }]))

describe.concurrent("a run names the reports it wrote", () => {
  it("contract: the last line on stdout names every report file, in flag order", async () => {
    const files = [join(dir, "suite", "r.json"), join(dir, "suite", "r.xml"), join(dir, "suite", "r.html")]
    const args = ["contract", "--runs", "3", "--seed", "5", "--json", files[0]!, "--junit", files[1]!]
    const result = await run([...args, "--html", files[2]!])
    expect(result.code).toBe(0)
    for (const file of files) expect(existsSync(file)).toBe(true)
    expect(lastLine(result.stdout)).toBe(`reports: ${files.join(", ")}`)
    expect(result.stderr).not.toContain("reports:")
  })

  it("contract --json -: stdout is the JSON report alone, the files are named on stderr", async () => {
    const junit = join(dir, "stdout", "r.xml")
    const result = await run(["contract", "--runs", "3", "--seed", "5", "--json", "-", "--junit", junit])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: "pass" })
    expect(lastLine(result.stderr)).toBe(`reports: ${junit}`)
  })

  it("contract without report flags names none", async () => {
    const result = await run(["contract", "--runs", "3", "--seed", "5"])
    expect(result.code).toBe(0)
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/^reports:/m)
  })

  it("contract har: the reports are named after the summary, whatever the verdict; a path is escaped", async () => {
    const recording = join(dir, "one.har")
    har(recording)
    // A control character in a file name reaches the terminal escaped, never raw.
    const json = join(dir, "har", "r\u001b[31m.json")
    const html = join(dir, "har", "r.html")
    const result = await run(["contract", "har", recording, "--json", json, "--html", html])
    expect(result.code).toBe(4)
    expect(existsSync(json)).toBe(true)
    expect(existsSync(html)).toBe(true)
    expect(lastLine(result.stdout)).toBe(`reports: ${json.replace("\u001b", "\\x1b")}, ${html}`)
    expect(result.stdout).not.toContain("\u001b")
  })
})
