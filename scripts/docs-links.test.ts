/**
 * The documentation holds together: every relative link of the root README,
 * the packages' READMEs and the reference pages under `docs/` reaches a file
 * (and, with `#anchor`, a heading of it, as GitHub names headings); the root
 * README stays a front door (at most 150 lines, no prose line over 120
 * characters); no table in the README or `docs/` is wider than 120 columns
 * (a list reads better where a cell needs a paragraph).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..")

const documents = [
  "README.md",
  ...readdirSync(join(root, "packages"))
    .map((name) => join("packages", name, "README.md"))
    .filter((file) => existsSync(join(root, file))),
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join("docs", name))
]

const read = (file: string): string => readFileSync(join(root, file), "utf8")

/** The lines of a Markdown text outside fenced code blocks, with their 1-based numbers. */
const prose = (text: string): ReadonlyArray<{ readonly line: number; readonly text: string }> => {
  const out: Array<{ line: number; text: string }> = []
  let fence: string | undefined
  text.split("\n").forEach((line, index) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line)
    if (open !== null) {
      if (fence === undefined) fence = open[1]!
      else if (line.trim().startsWith(fence)) fence = undefined
      return
    }
    if (fence === undefined) out.push({ line: index + 1, text: line })
  })
  return out
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens; repeats get `-1`, `-2`… */
const anchors = (text: string): ReadonlySet<string> => {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const { text: line } of prose(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (heading === null) continue
    const slug = heading[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-")
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    out.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return out
}

/** Every Markdown link target outside code (fenced blocks and inline code spans), with its line. */
const links = (text: string): ReadonlyArray<{ readonly line: number; readonly target: string }> =>
  prose(text).flatMap(({ line, text: content }) =>
    [...content.replace(/`[^`]*`/g, "``").matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => ({
      line,
      target: match[1]!
    }))
  )

const external = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target)

/** Why a relative link from `file` does not resolve, or undefined when it does. */
const broken = (file: string, target: string): string | undefined => {
  const [path = "", anchor] = target.split("#", 2)
  const resolved = path === "" ? file : relative(root, join(root, dirname(file), decodeURIComponent(path)))
  if (resolved.startsWith("..")) return `${target}: outside the repository`
  if (!existsSync(join(root, resolved))) return `${target}: no file ${resolved}`
  if (anchor === undefined || anchor === "") return undefined
  if (!statSync(join(root, resolved)).isFile() || !resolved.endsWith(".md"))
    return `${target}: an anchor into ${resolved}`
  return anchors(read(resolved)).has(anchor) ? undefined : `${target}: no heading #${anchor} in ${resolved}`
}

/** Markdown tables outside code: each row's width, as the formatter pads them. */
const tableRows = (text: string) => prose(text).filter(({ text: line }) => line.startsWith("|"))

describe("documentation links", () => {
  it("finds the documents: the root README, every package's, and docs/*.md", () => {
    expect(documents).toContain("README.md")
    expect(documents).toContain("packages/client/README.md")
    expect(documents).toContain("docs/exit-codes.md")
    expect(documents).toContain("docs/spec-readings.md")
  })

  for (const file of documents) {
    it(`${file}: every relative link reaches a file (and its heading)`, () => {
      const problems = links(read(file))
        .filter(({ target }) => !external(target))
        .flatMap(({ line, target }) => {
          const why = broken(file, target)
          return why === undefined ? [] : [`${file}:${line}: ${why}`]
        })
      expect(problems).toEqual([])
    })
  }

  it("every reference page is reachable from the docs index", () => {
    const index = new Set(links(read("docs/README.md")).map(({ target }) => target.split("#")[0]))
    const pages = documents.filter((file) => file.startsWith("docs/") && file !== "docs/README.md")
    expect(pages.filter((file) => !index.has(file.slice("docs/".length)))).toEqual([])
  })
})

describe("the root README is a front door", () => {
  const text = read("README.md")

  it("is at most 150 lines", () => {
    expect(text.trimEnd().split("\n").length).toBeLessThanOrEqual(150)
  })

  it("has no prose line over 120 characters (code blocks aside)", () => {
    const long = prose(text).filter(({ text: line }) => [...line].length > 120)
    expect(long.map(({ line, text: content }) => `README.md:${line} (${[...content].length})`)).toEqual([])
  })

  it("marks exactly one test command, `pnpm test`", () => {
    const marked = text.split("**The test command**")
    expect(marked).toHaveLength(2)
    expect(/^[^`]*```sh\npnpm test\n```/.exec(marked[1]!)).not.toBeNull()
  })
})

describe("tables fit a page", () => {
  for (const file of documents.filter((f) => f === "README.md" || f.startsWith("docs/"))) {
    it(`${file}: no table row wider than 120 columns`, () => {
      const wide = tableRows(read(file)).filter(({ text: row }) => [...row].length > 120)
      expect(wide.map(({ line, text: row }) => `${file}:${line} (${[...row].length})`)).toEqual([])
    })
  }
})

describe("the checker itself", () => {
  it("names headings as GitHub does", () => {
    const names = anchors(
      "# The contract suite (`postpress contract`)\n## Staging-grade runs: gentle, timed, drift-aware\n" +
        "```\n# not a heading\n```\n### `postpress accounts get`\n## Errors\n## Errors\n"
    )
    expect([...names]).toEqual([
      "the-contract-suite-postpress-contract",
      "staging-grade-runs-gentle-timed-drift-aware",
      "postpress-accounts-get",
      "errors",
      "errors-1"
    ])
  })

  it("reads links outside code only", () => {
    const text = "see [a](a.md#x) and `[b](b.md)`\n```\n[c](c.md)\n```\n[d](https://example.com) [e](../e.md)\n"
    expect(links(text)).toEqual([
      { line: 1, target: "a.md#x" },
      { line: 5, target: "https://example.com" },
      { line: 5, target: "../e.md" }
    ])
  })

  it("reports a missing file and a missing heading", () => {
    expect(broken("docs/README.md", "nope.md")).toBe("nope.md: no file docs/nope.md")
    expect(broken("docs/README.md", "exit-codes.md#nope")).toBe(
      "exit-codes.md#nope: no heading #nope in docs/exit-codes.md"
    )
    expect(broken("docs/README.md", "exit-codes.md#postpress-contract")).toBeUndefined()
  })
})
