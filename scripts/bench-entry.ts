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

/** A bench module's default export. */
export interface BenchModule {
  readonly default: () => Promise<ReadonlyArray<BenchEntry>>
}

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
