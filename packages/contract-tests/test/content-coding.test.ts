/**
 * The one decoder of `Content-Encoding` (proxy, HAR reader, public judge):
 * every coding real servers send, lists in reverse order, bounded output
 * (a bomb stops at the limit), typed failures (never "not JSON"), the
 * `detect` reading that never decodes a body twice, and the thread pool
 * driver that leaves the event loop free.
 */
import * as Zlib from "node:zlib"
import { SpecExample } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as ContractTraffic from "../src/ContractTraffic.js"
import * as ContentCoding from "../src/internal/judge/contentCoding.js"

const json = Buffer.from(JSON.stringify(SpecExample.retrieveAccountResponse))
const MiB = 1024 * 1024

type Compressor = (bytes: Buffer) => Buffer
const zstdCompressSync = (Zlib as unknown as { readonly zstdCompressSync?: Compressor }).zstdCompressSync

/** Every coding with its compressor (zstd only where this Node has one). */
const compressors: ReadonlyArray<readonly [string, Compressor]> = [
  ["gzip", (b) => Zlib.gzipSync(b)],
  ["x-gzip", (b) => Zlib.gzipSync(b)],
  ["deflate", (b) => Zlib.deflateSync(b)],
  ["br", (b) => Zlib.brotliCompressSync(b)],
  ...(zstdCompressSync === undefined ? [] : [["zstd", zstdCompressSync] as const])
]

const decode = (bytes: Uint8Array, contentEncoding: string | undefined, coding: ContentCoding.BodyCoding = "as-sent") =>
  Effect.runPromise(Effect.either(ContentCoding.decode(bytes, contentEncoding, { coding, maxBytes: 16 * MiB })))

const text = (result: Either.Either<Uint8Array, unknown>) =>
  Either.isRight(result) ? Buffer.from(result.right).toString("utf8") : `failed: ${String(result.left)}`

describe("decoding what servers send", () => {
  it.each(compressors)(
    "%s decodes to the original bytes, on the thread pool and on the caller's thread",
    async (coding, compress) => {
      const wire = compress(json)
      expect(text(await decode(wire, coding))).toBe(json.toString("utf8"))
      expect(text(ContentCoding.decodeSync(wire, coding, { coding: "as-sent", maxBytes: 16 * MiB }))).toBe(
        json.toString("utf8")
      )
    }
  )

  it("raw deflate (no zlib header, as some servers send it) decodes too", async () => {
    expect(text(await decode(Zlib.deflateRawSync(json), "deflate"))).toBe(json.toString("utf8"))
  })

  it("a list is decoded in reverse order of application; names are case- and space-insensitive", async () => {
    const twice = Zlib.brotliCompressSync(Zlib.gzipSync(json))
    expect(text(await decode(twice, " GZIP ,br"))).toBe(json.toString("utf8"))
    expect(text(await decode(json, "identity"))).toBe(json.toString("utf8"))
    expect(ContentCoding.codings("gzip, identity, , BR")).toEqual(["gzip", "br"])
    expect(ContentCoding.isIdentity(undefined)).toBe(true)
    expect(ContentCoding.isIdentity("identity")).toBe(true)
    expect(ContentCoding.isIdentity("gzip")).toBe(false)
  })

  it("zstd: decoded where node:zlib has it, else 'cannot decode zstd' naming the Node version", async () => {
    if (!ContentCoding.zstdSupported) {
      console.info(`zstd decoding not tested on Node ${process.versions.node}: node:zlib has no zstdDecompress`)
      const result = await decode(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0]), "zstd")
      expect(Either.isLeft(result) && result.left.message).toBe(
        "cannot decode zstd (this Node has no zstd decoder; Node 22.15 and later have one)"
      )
      return
    }
    expect(text(await decode(zstdCompressSync!(json), "zstd"))).toBe(json.toString("utf8"))
  })

  it("an empty body (a 304, a HEAD) is never decoded", async () => {
    expect(text(await decode(new Uint8Array(0), "gzip"))).toBe("")
  })

  it("property: any JSON under any list of codings decodes to itself, on both drivers", async () => {
    const codingArb = fc.constantFrom(...compressors.map(([coding]) => coding), "identity")
    await fc.assert(
      fc.asyncProperty(fc.json(), fc.array(codingArb, { minLength: 1, maxLength: 3 }), async (value, list) => {
        const original = Buffer.from(value)
        let wire: Buffer = original
        for (const coding of list) {
          const compress = compressors.find(([name]) => name === coding)?.[1]
          if (compress !== undefined) wire = compress(wire)
        }
        const header = list.join(", ")
        expect(text(await decode(wire, header))).toBe(value)
        expect(text(ContentCoding.decodeSync(wire, header, { coding: "as-sent", maxBytes: 16 * MiB }))).toBe(value)
      }),
      { numRuns: 60 }
    )
  })
})

describe("bounded and typed", () => {
  /** 1 GiB of zeros as gzip: 16 members of 64 MiB each (gzip allows concatenated members), about 1 MB. */
  const bomb = (() => {
    const member = Zlib.gzipSync(Buffer.alloc(64 * MiB), { level: 9 })
    return Buffer.concat(Array.from({ length: 16 }, () => member))
  })()

  it("a gzip bomb (1 GiB decoded from ~1 MB) stops at the limit: DecodedOverLimit, never an OOM", async () => {
    expect(bomb.length).toBeLessThan(2 * MiB)
    const result = await Effect.runPromise(
      Effect.either(ContentCoding.decode(bomb, "gzip", { coding: "as-sent", maxBytes: 16 * MiB }))
    )
    expect(Either.isLeft(result) && result.left._tag).toBe("DecodedOverLimit")
    expect(Either.isLeft(result) && result.left.message).toBe("body over the 16 MiB limit once decoded (gzip)")
  })

  it.each(compressors)("%s over the limit is DecodedOverLimit (each format bounded)", async (coding, compress) => {
    const big = compress(Buffer.alloc(2 * MiB, 0x20))
    const result = await Effect.runPromise(
      Effect.either(ContentCoding.decode(big, coding, { coding: "as-sent", maxBytes: MiB }))
    )
    expect(Either.isLeft(result) && result.left._tag).toBe("DecodedOverLimit")
  })

  it("a corrupt or cut stream, an unknown coding: CannotDecode naming the coding, never an exception", async () => {
    const gz = Zlib.gzipSync(json)
    const cut = await decode(gz.subarray(0, gz.length - 10), "gzip")
    expect(Either.isLeft(cut) && cut.left.message).toBe("cannot decode gzip (unexpected end of file)")
    const garbage = await decode(Buffer.from("not compressed at all"), "br")
    expect(Either.isLeft(garbage) && garbage.left._tag).toBe("CannotDecode")
    const unknown = await decode(gz, "compress")
    expect(Either.isLeft(unknown) && unknown.left.message).toBe(
      "cannot decode compress (not a coding postpress decodes)"
    )
    const hostile = await decode(gz, "x\u001b[2J")
    expect(Either.isLeft(hostile) && hostile.left.message).toContain("cannot decode x\\x1b[2j")
  })

  it("decoding 16 MiB on the thread pool leaves the event loop free (an immediate runs before it ends)", async () => {
    const wire = Zlib.gzipSync(Buffer.alloc(16 * MiB - 1, 0x20))
    const order: Array<string> = []
    const decoding = decode(wire, "gzip").then(() => order.push("decoded"))
    setImmediate(() => order.push("event loop turned"))
    await decoding
    expect(order).toEqual(["event loop turned", "decoded"])
  })
})

describe("detect: a body already decoded is never decoded again", () => {
  const detect = (bytes: Uint8Array, contentEncoding: string) => decode(bytes, contentEncoding, "detect")

  it("decoded text beside Content-Encoding: gzip / br / deflate / zstd stays as it is", async () => {
    for (const coding of ["gzip", "br", "deflate", "zstd", "gzip, br"]) {
      expect(text(await detect(json, coding)), coding).toBe(json.toString("utf8"))
    }
  })

  it.each(compressors)(
    "%s bytes still compressed (magic, or not UTF-8 and it decodes) are decoded",
    async (coding, compress) => {
      expect(text(await detect(compress(json), coding))).toBe(json.toString("utf8"))
    }
  )

  it("binary that is not the claimed format stays as it is; binary under an unknown coding cannot be decoded", async () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x82])
    expect(Buffer.from((await detect(binary, "br")).pipe(Either.getOrThrow))).toEqual(binary)
    expect(Buffer.from((await detect(binary, "gzip")).pipe(Either.getOrThrow))).toEqual(binary)
    const unknown = await detect(binary, "compress")
    expect(Either.isLeft(unknown) && unknown.left._tag).toBe("CannotDecode")
    expect(text(await detect(json, "compress"))).toBe(json.toString("utf8"))
  })

  it("a corrupt stream that carries its magic is CannotDecode", async () => {
    const result = await detect(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]), "gzip")
    expect(Either.isLeft(result) && result.left._tag).toBe("CannotDecode")
  })
})

describe("ContractTraffic.judge decodes before it judges", () => {
  const base = "https://staging.example.com/api"
  const id = SpecExample.retrieveAccountResponse.id
  const exchange = (body: Uint8Array, headers: Record<string, string>, coding?: ContentCoding.BodyCoding) => ({
    request: { method: "GET", url: `${base}/v1/accounts/${id}`, headers: { "X-API-KEY": "pp_live_CODING_0123456789" } },
    response: { status: 200, headers: { "content-type": "application/json", ...headers }, body, coding }
  })

  it("a gzip 200 passes whether handed over as sent or decoded (fetch keeps the header)", () => {
    const wire = ContractTraffic.judge(exchange(Zlib.gzipSync(json), { "content-encoding": "gzip" }), { baseUrl: base })
    expect(wire.judged).toBe(true)
    expect(wire.findings).toEqual([])
    const fetched = ContractTraffic.judge(exchange(json, { "content-encoding": "gzip" }), { baseUrl: base })
    expect(fetched.findings).toEqual([])
    const strict = ContractTraffic.judge(exchange(Zlib.gzipSync(json), { "content-encoding": "gzip" }, "as-sent"), {
      baseUrl: base
    })
    expect(strict.findings).toEqual([])
  })

  it("a corrupt stream is not judged, 'cannot decode gzip', never 'not JSON'; a bomb is over the limit", () => {
    const corrupt = ContractTraffic.judge(
      exchange(Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3]), { "content-encoding": "gzip" }),
      { baseUrl: base }
    )
    expect(corrupt.judged).toBe(false)
    expect(corrupt.findings).toEqual([])
    expect(corrupt.notDecoded).toMatchObject({ overLimit: false, coding: "gzip" })
    expect(corrupt.reason).toMatch(/^cannot decode gzip/)
    const bomb = ContractTraffic.judge(exchange(Zlib.gzipSync(Buffer.alloc(4 * MiB)), { "content-encoding": "gzip" }), {
      baseUrl: base,
      maxBodyBytes: MiB
    })
    expect(bomb.notDecoded).toMatchObject({ overLimit: true })
    expect(bomb.reason).toBe("body over the 1 MiB limit once decoded (gzip)")
  })
})
