// 2^k by table lookup. V8 compiles `2 ** k` with a variable k to a Math.pow call (~60 ns), which
// dominated every per-block loop over a million-block table; an indexed load costs ~1 ns.

/** POW2[k] = 2^k for k in 0..63 (block orders are below 32; the rest is headroom). */
export const POW2: Float64Array = Float64Array.from({ length: 64 }, (_, k) => 2 ** k);
