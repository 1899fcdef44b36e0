// Translations for the panel: the host puts `vscode.l10n.bundle` (none in English) on <heap-app>
// as `data-l10n`; `@vscode/l10n`'s `t()` then answers from it, and with the English text itself
// when there is none. Imported first by main.ts, before any element renders a string.
import * as l10n from '@vscode/l10n';

const bundle = document.querySelector('heap-app')?.getAttribute('data-l10n');
if (bundle) {
  try {
    l10n.config({ contents: JSON.parse(bundle) as Record<string, string> });
  } catch (error) {
    // A broken bundle must not leave the panel blank: English it is, and the host hears why.
    console.warn(`[buddy-heap] ignoring the translation bundle: ${String(error)}`);
  }
}
