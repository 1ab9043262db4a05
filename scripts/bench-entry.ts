/**
 * The shape every bench module returns, shared by all packages' benches.
 */

/** One side-by-side comparison; `ratio` = ours ÷ peer, higher is better for ours. */
export interface BenchEntry {
  readonly name: string
  readonly ours: number
  /** `null` for a measurement without a peer (e.g. a wall time). */
  readonly peer: number | null
  readonly unit: string
  readonly ratio: number | null
  readonly note?: string
}

/** How a bench module is run. */
export interface BenchOptions {
  /**
   * `pnpm bench --smoke` (CI): the same code paths with few iterations and
   * short durations, to prove the module still runs and writes every entry;
   * its numbers mean nothing.
   */
  readonly smoke: boolean
}

/** A bench module: what it measures and the names of the entries it must write. */
export interface BenchModule {
  readonly default: (options: BenchOptions) => Promise<ReadonlyArray<BenchEntry>>
  /** Every entry the module writes on every run; the smoke fails when one is missing or not a finite number. */
  readonly entries: ReadonlyArray<string>
}

/** `full` for a measuring run, `smoke` for a smoke run. */
export const sized = <A>(options: BenchOptions, full: A, smoke: A): A => (options.smoke ? smoke : full)

/**
 * Builds an entry from two throughputs (higher is better), or from two costs
 * (`lowerIsBetter`: ratio = peer ÷ ours so that higher stays better for ours).
 */
export const entry = (
  name: string,
  ours: number,
  peer: number,
  unit: string,
  options: { readonly lowerIsBetter?: boolean; readonly note?: string } = {}
): BenchEntry => ({
  name,
  ours,
  peer,
  unit,
  ratio: options.lowerIsBetter ? peer / ours : ours / peer,
  ...(options.note === undefined ? {} : { note: options.note })
})

/**
 * What is wrong with a module's entries (empty when nothing is): a declared
 * entry it did not write, one it wrote twice or without declaring it, or a
 * number that is not finite (`peer` and `ratio` may be `null`).
 */
export const problems = (
  declared: ReadonlyArray<string>,
  written: ReadonlyArray<BenchEntry>
): ReadonlyArray<string> => {
  const out: Array<string> = []
  const finite = (n: number | null, nullable: boolean) => (n === null ? nullable : Number.isFinite(n))
  for (const name of declared) {
    const found = written.filter((e) => e.name === name)
    if (found.length === 0) out.push(`${name}: not written`)
    if (found.length > 1) out.push(`${name}: written ${found.length} times`)
  }
  for (const e of written) {
    if (!declared.includes(e.name)) out.push(`${e.name}: written but not declared in \`entries\``)
    else if (!finite(e.ours, false) || !finite(e.peer, true) || !finite(e.ratio, true)) {
      out.push(
        `${e.name}: not a finite number (ours ${e.ours}, peer ${e.peer}, ratio ${e.ratio})${e.note === undefined ? "" : `: ${e.note}`}`
      )
    }
  }
  return out
}
