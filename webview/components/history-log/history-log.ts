// The operation log: each step with what it did (address, split, merge, or why it failed), the
// shown step marked, and controls to step back and forth (buttons, ←/→, Home/End on the list).
// The steps take focus one at a time (roving tabindex): ↑/↓ move between them without showing
// them, Enter shows the focused one and C compares the shown step with it, so comparing needs no
// mouse; the focused step's compare button shows too.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DeferredSection } from '../heap-columns/deferredSection';
import { repeat } from 'lit/directives/repeat.js';
import { CHANGE_KINDS, WireDiff, WireHistory } from '../../../core/protocol/viewModel';
import { changeKindName } from '../../l10n/words';
import { sharedStyles } from '../../styles/shared';

/**
 * Past this many rows the list is taller than its 260px box whether its rows are estimated or laid
 * out (rows are 13px or taller), so skipping the hidden ones cannot change the box.
 */
const LONG_LIST_ROWS = 20;

/**
 * @tag history-log
 * @fires step-to - detail `{ step }`.
 * @fires compare-with - detail `{ step | null }`: compare the shown step with another.
 */
@customElement('history-log')
export class HistoryLog extends DeferredSection(LitElement) {
  static override styles = [
    sharedStyles,
    css`
      .controls {
        display: flex;
        gap: 4px;
        align-items: center;
        margin-bottom: 4px;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        max-height: 260px;
        overflow: auto;
      }
      li {
        display: grid;
        grid-template-columns: 3.5em 1fr;
        gap: 6px;
        padding: 2px 4px;
        cursor: pointer;
      }
      /* In a long list, rows scrolled out of it skip layout and paint (a step adds one row of 500).
         A short list renders every row: a row's estimated height would change the list's height
         when it comes into view and move everything below it. The shown step always renders, so it
         can be read (and scrolled to) in the frame that shows it. */
      ol.long > li {
        content-visibility: auto;
        contain-intrinsic-size: auto 36px;
      }
      ol.long > li[aria-current='step'] {
        content-visibility: visible;
      }
      li:focus-visible {
        outline: 1px solid var(--vscode-focusBorder, #007fd4);
        outline-offset: -1px;
      }
      li:hover {
        background: var(--vscode-list-hoverBackground, rgba(90, 93, 94, 0.31));
      }
      li[aria-current='step'] {
        background: var(--vscode-list-activeSelectionBackground, #04395e);
        color: var(--vscode-list-activeSelectionForeground, #ffffff);
      }
      li.after {
        opacity: 0.6;
      }
      li.failed .op {
        color: var(--vscode-errorForeground, #f48771);
      }
      .detail {
        display: block;
        font-size: 11px;
        color: var(--vscode-descriptionForeground, #9d9d9d);
        white-space: normal;
      }
      li[aria-current='step'] .detail {
        color: inherit;
      }
      .changes {
        margin: 4px 0;
      }
      button.compare {
        margin-left: 8px;
        font-size: 11px;
        visibility: hidden;
      }
      li:hover button.compare,
      li:focus-within button.compare {
        visibility: visible;
      }
    `,
  ];

  @property({ attribute: false }) history: WireHistory | undefined;
  @property({ attribute: false }) diff: WireDiff | null = null;
  /** The step that takes focus in the list (undefined: the shown step). */
  @state() private focusStep: number | undefined;
  /** Set by ←/→/Home/End: focus goes to the step they show. */
  private followShown = false;

  /** An icon button that shows a step (disabled at the ends of the history). */
  private stepButton(icon: string, label: string, title: string, disabled: boolean, step: number) {
    return html`<vscode-button
      secondary
      icon=${icon}
      aria-label=${label}
      title=${title}
      ?disabled=${disabled}
      @click=${() => !disabled && this.step(step)}
    ></vscode-button>`;
  }

  override render() {
    const h = this.history;
    if (!h) return html`<p class="muted">${l10n.t('No history.')}</p>`;
    const last = h.total - 1;
    const roving = this.rovingStep(h);
    return html` <div class="controls" role="toolbar" aria-label=${l10n.t('Step through the history')}>
        ${this.stepButton('arrow-left', l10n.t('First step'), l10n.t('First step (Home)'), h.current === 0, 0)}
        ${this.stepButton('chevron-left', l10n.t('Previous step'), l10n.t('Previous step (←)'), h.current === 0, h.current - 1)}
        <span class="position" aria-live="polite">${l10n.t('step {0} of {1}', h.current, last)}</span>
        ${this.stepButton('chevron-right', l10n.t('Next step'), l10n.t('Next step (→)'), h.current >= last, h.current + 1)}
        ${this.stepButton('arrow-right', l10n.t('Last step'), l10n.t('Last step (End)'), h.current >= last, last)}
      </div>
      ${this.renderChanges()}
      <ol
        class=${h.entries.length > LONG_LIST_ROWS ? 'long' : ''}
        aria-label=${l10n.t('Operation history')}
        aria-describedby="history-keys"
        @keydown=${this.onKey}
      >
        ${h.windowStart > 0 ? html`<li class="muted">${l10n.t('… {0} earlier steps', h.windowStart)}</li>` : nothing}
        ${repeat(
          h.entries,
          // Keyed by step: a new step slides the window by one row, not a re-render of every row.
          entry => entry.step,
          entry =>
            html`<li
              data-step=${entry.step}
              class="${entry.ok ? '' : 'failed'} ${entry.step > h.current ? 'after' : ''}"
              tabindex=${entry.step === roving ? '0' : '-1'}
              @focus=${() => {
                this.focusStep = entry.step;
              }}
              aria-current=${entry.step === h.current ? 'step' : nothing}
              @click=${() => this.step(entry.step)}
            >
              <span class="muted">#${entry.step}</span>
              <span
                ><span class="op mono">${entry.text}</span>${
                  entry.step !== h.current
                    ? html`<button
                        class="link compare"
                        title=${l10n.t('Compare the shown step with this one')}
                        aria-label=${l10n.t('compare the shown step with step {0}', entry.step)}
                        @click=${(e: Event) => {
                          e.stopPropagation();
                          this.compare(entry.step);
                        }}
                      >
                        ${l10n.t('compare')}
                      </button>`
                    : nothing
                }<span class="detail">${entry.ok ? '' : '✗ '}${entry.detail}</span></span
              >
            </li>`,
        )}
        ${h.windowStart + h.entries.length < h.total ? html`<li class="muted">${l10n.t('… {0} later steps', h.total - h.windowStart - h.entries.length)}</li>` : nothing}
      </ol>
      <p id="history-keys" class="visually-hidden">
        ${l10n.t(
          'Up and Down move between the steps, Enter shows the focused step, C compares the shown step with it, Left and Right step back and forth, Home and End show the first and the last step.',
        )}
      </p>`;
  }

  /** The step whose item is in the tab order: the focused one while it is listed, else the shown one. */
  private rovingStep(h: WireHistory): number {
    const listed = (step: number) => step >= h.windowStart && step < h.windowStart + h.entries.length;
    if (this.focusStep !== undefined && listed(this.focusStep)) return this.focusStep;
    return listed(h.current) ? h.current : h.windowStart;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    const before = changed.get('history') as WireHistory | undefined;
    // Focus that was on the shown step moves with it, as does focus that stepped with ←/→/Home/End.
    if (
      changed.has('history') &&
      before &&
      before.current !== this.history?.current &&
      (this.followShown || this.focusStep === before.current)
    ) {
      this.focusStep = this.history?.current;
      this.followShown = false;
    }
  }

  override updated(changed: Map<string, unknown>): void {
    const before = changed.get('history') as WireHistory | undefined;
    if (!changed.has('history')) return;
    // Rows are reused by position: keep focus on the item for the focused step, not on its old row.
    const focused = this.renderRoot instanceof ShadowRoot ? this.renderRoot.activeElement : null;
    if (focused instanceof HTMLLIElement) this.renderRoot.querySelector<HTMLElement>('li[tabindex="0"]')?.focus();
    if (before?.current === this.history?.current) return;
    // Keep the shown step in view, after layout (reading offsets now would force one mid-render).
    requestAnimationFrame(() => this.scrollToCurrent());
  }

  private scrollToCurrent(): void {
    const current = this.renderRoot.querySelector<HTMLElement>('li[aria-current="step"]');
    const list = this.renderRoot.querySelector<HTMLElement>('ol');
    if (
      current &&
      list &&
      (current.offsetTop < list.scrollTop || current.offsetTop > list.scrollTop + list.clientHeight - current.offsetHeight)
    ) {
      list.scrollTop = current.offsetTop - list.clientHeight / 2;
    }
  }

  private renderChanges() {
    const diff = this.diff;
    const h = this.history;
    if (!diff || !h) return nothing;
    const counts = new Map<string, number>();
    for (let i = 0; i < diff.count; i++) {
      const kind = CHANGE_KINDS[diff.kinds[i]!] ?? 'uncertain';
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    const parts = CHANGE_KINDS.filter(k => counts.has(k)).map(
      k => html`<span class="chip changed-${k}" data-kind=${k}>${counts.get(k)} ${changeKindName(k)}</span>`,
    );
    const custom = diff.fromStep !== h.current - 1;
    return html`<div class="changes" aria-label=${l10n.t('Changes from step {0} to step {1}', diff.fromStep, diff.toStep)}>
      <span>${l10n.t('step {0} → {1}:', diff.fromStep, diff.toStep)}</span>
      ${parts.length ? parts : html`<span class="muted">${l10n.t('no block changed')}</span>`}
      ${custom ? html`<button class="link" @click=${() => this.compare(null)}>${l10n.t('compare with the previous step')}</button>` : nothing}
      <div class="detail summary">${diff.summary}</div>
    </div>`;
  }

  private compare(step: number | null): void {
    this.dispatchEvent(new CustomEvent('compare-with', { detail: { step }, bubbles: true, composed: true }));
  }

  /** Asks the host to show a step; false when there is nothing to do. */
  private step(step: number): boolean {
    const h = this.history;
    if (!h || step < 0 || step >= h.total || step === h.current) return false;
    this.dispatchEvent(new CustomEvent('step-to', { detail: { step }, bubbles: true, composed: true }));
    return true;
  }

  private onKey = (event: KeyboardEvent) => {
    const h = this.history;
    // Keys on an item only: Enter on its compare button is the button's.
    if (!h || !(event.target instanceof HTMLLIElement) || event.altKey || event.ctrlKey || event.metaKey) return;
    const focused = this.rovingStep(h);
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    switch (key) {
      case 'ArrowUp':
        this.moveFocus(Math.max(h.windowStart, focused - 1));
        break;
      case 'ArrowDown':
        this.moveFocus(Math.min(h.windowStart + h.entries.length - 1, focused + 1));
        break;
      case 'ArrowLeft':
        this.followShown = this.step(h.current - 1);
        break;
      case 'ArrowRight':
        this.followShown = this.step(h.current + 1);
        break;
      case 'Home':
        this.followShown = this.step(0);
        break;
      case 'End':
        this.followShown = this.step(h.total - 1);
        break;
      case 'Enter':
      case ' ':
        this.step(focused);
        break;
      case 'c':
        if (focused !== h.current) this.compare(focused);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  private moveFocus(step: number): void {
    this.followShown = false;
    this.focusStep = step;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`li[data-step="${step}"]`)?.focus());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'history-log': HistoryLog;
  }
}
