/**
 * The built program (the esbuild bundle the integration project's
 * globalSetup builds) prints the same help and version as the sources, as
 * plain text.
 */
import { describe, expect, it } from "vitest"
import { helpText } from "../../src/Cli.js"
import { version } from "../../src/internal/version.js"
import { run } from "../support/program.js"

describe("the built program", () => {
  it("prints the same help and version as the sources, as plain text", async () => {
    const [help, proxy, ver] = await Promise.all([
      run(["--help"]),
      run(["contract", "proxy", "-h"]),
      run(["--version"])
    ])
    expect(help).toMatchObject({ code: 0, stderr: "", stdout: `${helpText([])}\n` })
    expect(proxy).toMatchObject({ code: 0, stderr: "", stdout: `${helpText(["contract", "proxy"])}\n` })
    expect(ver).toMatchObject({ code: 0, stdout: `${version}\n` })
    expect(help.stdout).not.toContain("\u001b")
  })
})
