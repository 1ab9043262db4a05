/**
 * The coverage grid the contract report and the mock's coverage report share:
 * each cell says seen or not in words and marks, not colour alone; groups
 * count their own cells; text stays text.
 */
import { parseHTML } from "linkedom"
import { describe, expect, it } from "vitest"
import { coverageGrid, type GridGroup } from "../src/internal/render/html/grid.js"
import { contentSecurityPolicy, page } from "../src/internal/render/html/page.js"

const groups: ReadonlyArray<GridGroup> = [
  {
    title: "404",
    cells: [
      { label: "errors/resource_not_found", seen: 3 },
      { label: "errors/<b>bold</b>", seen: 0, hint: "send x-mock-fault: 404:errors/<b>bold</b>" }
    ]
  },
  { title: "503", cells: [{ label: "errors/no_handler", seen: true }] }
]

const render = () =>
  parseHTML(page({ title: "coverage", body: coverageGrid(groups, { id: "errors", caption: "Error types" }) })).document

describe("coverageGrid", () => {
  it("shows each cell's label and count, and a missing cell in words with its hint", () => {
    const document = render()
    const cells = [...document.querySelectorAll("#errors li.cell")]
    expect(cells.map((c) => c.querySelector(".label")?.textContent)).toEqual([
      "errors/resource_not_found",
      "errors/<b>bold</b>",
      "errors/no_handler"
    ])
    expect(cells.map((c) => c.querySelector(".count")?.textContent)).toEqual(["×3", "not seen", "seen"])
    expect(cells.map((c) => c.querySelector(".icon")?.textContent)).toEqual(["✓", "○", "✓"])
    expect(cells.map((c) => c.getAttribute("class"))).toEqual(["cell seen", "cell missing", "cell seen"])
    expect(cells[1]?.querySelector(".hint")?.textContent).toBe("send x-mock-fault: 404:errors/<b>bold</b>")
    expect(cells[0]?.getAttribute("title")).toBe("errors/resource_not_found: seen 3 times")
    expect(document.querySelectorAll("b")).toHaveLength(0)
  })

  it("counts seen cells overall and per group", () => {
    const document = render()
    expect(document.querySelector("#errors .grid-caption")?.textContent).toBe("Error types: 2 of 3 seen")
    expect([...document.querySelectorAll("#errors h3")].map((h) => h.textContent)).toEqual([
      "404 (1 of 2 seen)",
      "503 (1 of 1 seen)"
    ])
  })

  it("a single group has no heading of its own; the page shell forbids scripts", () => {
    const document = parseHTML(page({ title: "t", body: coverageGrid([groups[1]!]) })).document
    expect(document.querySelectorAll("h3")).toHaveLength(0)
    expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content")).toBe(
      contentSecurityPolicy
    )
    expect(document.querySelector("style")?.textContent).toContain("li.cell.missing")
  })
})
