/**
 * The shell every HTML report of this package shares: one self-contained
 * document with inline styles and no script. A Content-Security-Policy meta
 * tag forbids scripts and remote loads as a second line of defence; the
 * first is that everything a server sent is escaped (./escape.ts).
 *
 * @since 0.1.0
 */
import { type Html, html } from "./escape.js"
import { gridStyles } from "./grid.js"

/**
 * The policy in the page's meta tag: nothing loads, nothing runs.
 *
 * @since 0.1.0
 * @category constants
 */
export const contentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

/**
 * Styles every report page carries (the grid's included).
 *
 * @since 0.1.0
 * @category rendering
 */
export const baseStyles = `
:root { color-scheme: light; --line: #ddd; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 24px; max-width: 1200px; color: #222; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 8px; white-space: pre-wrap; overflow-wrap: anywhere; max-width: 100%; overflow-x: auto; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; max-width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
th { background: #fafafa; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; } td.num { white-space: nowrap; }
td.mono, td .mono, td pre, td.note { overflow-wrap: anywhere; }
.empty { color: #666; font-style: italic; }
${gridStyles}`

/**
 * @since 0.1.0
 * @category models
 */
export interface PageOptions {
  /** The document title (plain text; escaped). */
  readonly title: string
  readonly body: Html
  /** Styles added after {@link baseStyles}. */
  readonly styles?: string | undefined
}

/**
 * One complete HTML document.
 *
 * @since 0.1.0
 * @category rendering
 */
export const page = (options: PageOptions): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@postpress/contract-tests">
<title>${options.title}</title>
<style>${{ html: baseStyles + (options.styles ?? "") }}</style>
</head>
<body>
${options.body}
</body>
</html>
`.html
