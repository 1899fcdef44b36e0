// Owning chains and referrers as the user reads them, one spelling for the panel, hover and CLI:
// `app::CACHE.entries[3] → 0x20001400 (+0x10) → this block`. Addresses are lowercase 0x hex; the
// number in parentheses is the offset of the word that points on; "at +0x8" marks an interior
// pointer (one into the block's middle).
import { hex } from '../layout';
import type { OwnerChain, Referrer } from './types';

export function formatChain(chain: OwnerChain): string {
  const parts = [chain.rootPath];
  chain.steps.forEach((step, i) => {
    const last = i === chain.steps.length - 1;
    const entered = step.enteredAt > 0 ? `at +${hex(step.enteredAt)}` : '';
    if (last) parts.push(entered ? `this block (${entered})` : 'this block');
    else parts.push(`${hex(step.address)} (${entered ? `${entered}, ` : ''}+${hex(step.wordOffset ?? 0)})`);
  });
  return parts.join(' → ');
}

/** `app::CACHE.entries[3]` for a root word, `0x20001400+0x10` for a word in a block; interior pointers say where they point. */
export function formatReferrer(referrer: Referrer): string {
  const at = referrer.interior > 0 ? ` (to +${hex(referrer.interior)})` : '';
  if (referrer.kind === 'root') return referrer.path + at;
  return `${hex(referrer.address)}+${hex(referrer.wordOffset)}${at}`;
}
