// Which bytes of a readMemory answer were really read. DAP says `unreadableBytes` follow the
// returned data, and lldb-dap answers that way (short data, then the count of bytes it could not
// read); other adapters pad the data with zeros up to `count` and flag the padding only through
// `unreadableBytes`. Trusting no byte at or past `count - unreadableBytes` of the request covers
// both, so an unreadable byte never reaches the image as a zero.
import type { MemoryBody } from './dapSession';

export interface ReadablePart {
  /** Where the trusted bytes start (the adapter may move the start). */
  readonly address: bigint;
  readonly data: Uint8Array;
}

/** The trusted prefix of `answer` to a request for `count` bytes at `requested`. */
export function readablePart(answer: MemoryBody, requested: bigint, count: number): ReadablePart {
  const trustedEnd = requested + BigInt(count) - BigInt(answer.unreadableBytes);
  const dataEnd = answer.address + BigInt(answer.data.length);
  const end = dataEnd < trustedEnd ? dataEnd : trustedEnd;
  const length = end > answer.address ? Number(end - answer.address) : 0;
  return { address: answer.address, data: answer.data.subarray(0, length) };
}
