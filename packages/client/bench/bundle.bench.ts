/**
 * What a pipeline or an edge function pays to ship the client: an esbuild
 * bundle (minified, tree-shaken, ESM) of a program that imports ONLY the
 * client and calls `retrieve` with `layerConfig` (on the platform's fetch
 * client), and its gzip size. Two references: the same program on
 * `layerWithoutHttpClient` with `fetchLayer`, and one that only decodes an
 * account with `@postpress/schema`.
 */
import { gzipSync } from "node:zlib"
import { build } from "esbuild"
import type { BenchEntry } from "../../../scripts/bench-entry.js"

const programs = {
  "client-bundle-gzip": `
    import { AccountsClient } from "@postpress/client"
    import { Effect } from "effect"
    Effect.runPromise(AccountsClient.retrieve(process.argv[2]).pipe(Effect.provide(AccountsClient.layerConfig())))
      .then((a) => console.log(a.id))`,
  "client-fetch-bundle-gzip": `
    import * as AccountsClient from "@postpress/client/AccountsClient"
    import { Effect, Layer, Redacted } from "effect"
    const layer = AccountsClient.layerWithoutHttpClient({ apiKey: Redacted.make("k") }).pipe(
      Layer.provide(AccountsClient.fetchLayer)
    )
    Effect.runPromise(AccountsClient.retrieve("acc").pipe(Effect.provide(layer))).then((a) => console.log(a.id))`,
  "schema-decode-bundle-gzip": `
    import { AccountDecoder } from "@postpress/schema"
    console.log(AccountDecoder.decodeEither(JSON.parse(process.argv[2])))`
}

const sizeOf = async (source: string) => {
  const result = await build({
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: "ts" },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: "esm",
    platform: "node",
    target: "node20",
    conditions: ["@postpress/source"],
    write: false,
    logLevel: "silent"
  })
  const code = result.outputFiles[0]!.contents
  return { minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength }
}

/** The entries this module writes (`--smoke` builds the same bundles: they take seconds). */
export const entries: ReadonlyArray<string> = Object.keys(programs)

export default async (): Promise<ReadonlyArray<BenchEntry>> => {
  const entries: Array<BenchEntry> = []
  for (const [name, source] of Object.entries(programs)) {
    const { minified, gzip } = await sizeOf(source)
    entries.push({
      name,
      ours: gzip,
      peer: null,
      unit: "bytes",
      ratio: null,
      note: `minified ${(minified / 1024).toFixed(0)} KiB`
    })
  }
  return entries
}
