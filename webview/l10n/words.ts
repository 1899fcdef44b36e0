// Words the views share, translated: a block's state as shown to the user (CSS classes and data
// attributes keep the English STATE_NAMES, which are not shown).
import * as l10n from '@vscode/l10n';
import { WireChangeKind, WireBlockState } from '../../core/protocol/viewModel';
import type { HeapIndex } from '../model/heapIndex';

export function stateName(state: WireBlockState): string {
  switch (state) {
    case WireBlockState.Free:
      return l10n.t('free');
    case WireBlockState.Allocated:
      return l10n.t('allocated');
    default:
      return l10n.t('unknown');
  }
}

/** "size 64, align 8": how an allocation was requested. */
export function requestText(index: HeapIndex, allocation: number): string {
  const { size, align } = index.request(allocation);
  return l10n.t('size {0}, align {1}', size, align);
}

/** What happened to a block between two steps, as a word. */
export function changeKindName(kind: WireChangeKind): string {
  switch (kind) {
    case 'new':
      return l10n.t('new');
    case 'freed':
      return l10n.t('freed');
    case 'split':
      return l10n.t('split');
    case 'merged':
      return l10n.t('merged');
    default:
      return l10n.t('uncertain');
  }
}
