// The operation log: each step with what it did (address, split, merge, or why it failed), the
// shown step marked, and controls to step back and forth (buttons, ←/→, Home/End on the list).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { CHANGE_KINDS, WireDiff, WireHistory } from '../../../core/protocol/viewModel';
import { sharedStyles } from '../../styles/shared';

/**
 * @tag history-log
 * @fires step-to - detail `{ step }`.
 * @fires compare-with - detail `{ step | null }`: compare the shown step with another.
 */
@customElement('history-log')
export class HistoryLog extends LitElement {
  static override styles = [sharedStyles, css`
    .controls { display: flex; gap: 4px; align-items: center; margin-bottom: 4px; }
    ol { list-style: none; margin: 0; padding: 0; max-height: 260px; overflow: auto; }
    li { display: grid; grid-template-columns: 3.5em 1fr; gap: 6px; padding: 2px 4px; cursor: pointer; }
    li:hover { background: var(--vscode-list-hoverBackground, rgba(90, 93, 94, 0.31)); }
    li[aria-current='step'] { background: var(--vscode-list-activeSelectionBackground, #04395e); color: var(--vscode-list-activeSelectionForeground, #ffffff); }
    li.after { opacity: 0.6; }
    li.failed .op { color: var(--vscode-errorForeground, #f48771); }
    .detail { display: block; font-size: 11px; color: var(--vscode-descriptionForeground, #9d9d9d); white-space: normal; }
    li[aria-current='step'] .detail { color: inherit; }
    .changes { margin: 4px 0; }
    button.compare { margin-left: 8px; font-size: 11px; visibility: hidden; }
    li:hover button.compare, li:focus-within button.compare { visibility: visible; }
  `];

  @property({ attribute: false }) history: WireHistory | undefined;
  @property({ attribute: false }) diff: WireDiff | null = null;

  override render() {
    const h = this.history;
    if (!h) return html`<p class="muted">No history.</p>`;
    const last = h.total - 1;
    return html`
      <div class="controls" role="toolbar" aria-label="Step through the history">
        <button aria-label="First step" title="First step (Home)" ?disabled=${h.current === 0} @click=${() => this.step(0)}>◀◀</button>
        <button aria-label="Previous step" title="Previous step (←)" ?disabled=${h.current === 0} @click=${() => this.step(h.current - 1)}>◀</button>
        <span class="position" aria-live="polite">step ${h.current} of ${last}</span>
        <button aria-label="Next step" title="Next step (→)" ?disabled=${h.current >= last} @click=${() => this.step(h.current + 1)}>▶</button>
        <button aria-label="Last step" title="Last step (End)" ?disabled=${h.current >= last} @click=${() => this.step(last)}>▶▶</button>
      </div>
      ${this.renderChanges()}
      <ol tabindex="0" aria-label="Operation history" @keydown=${this.onKey}>
        ${h.windowStart > 0 ? html`<li class="muted">… ${h.windowStart} earlier steps</li>` : nothing}
        ${h.entries.map(entry => html`<li data-step=${entry.step} class="${entry.ok ? '' : 'failed'} ${entry.step > h.current ? 'after' : ''}"
            aria-current=${entry.step === h.current ? 'step' : nothing} @click=${() => this.step(entry.step)}>
          <span class="muted">#${entry.step}</span>
          <span><span class="op mono">${entry.text}</span>${entry.step !== h.current ? html`<button class="link compare" title="Compare the shown step with this one"
              aria-label=${`compare the shown step with step ${entry.step}`} @click=${(e: Event) => { e.stopPropagation(); this.compare(entry.step); }}>compare</button>` : nothing}<span class="detail">${entry.ok ? '' : '✗ '}${entry.detail}</span></span>
        </li>`)}
        ${h.windowStart + h.entries.length < h.total ? html`<li class="muted">… ${h.total - h.windowStart - h.entries.length} later steps</li>` : nothing}
      </ol>`;
  }

  override updated(changed: Map<string, unknown>): void {
    const before = changed.get('history') as WireHistory | undefined;
    if (!changed.has('history') || before?.current === this.history?.current) return;
    // Keep the shown step in view, after layout (reading offsets now would force one mid-render).
    requestAnimationFrame(() => this.scrollToCurrent());
  }

  private scrollToCurrent(): void {
    const current = this.renderRoot.querySelector<HTMLElement>('li[aria-current="step"]');
    const list = this.renderRoot.querySelector<HTMLElement>('ol');
    if (current && list && (current.offsetTop < list.scrollTop || current.offsetTop > list.scrollTop + list.clientHeight - current.offsetHeight)) {
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
    const parts = CHANGE_KINDS.filter(k => counts.has(k)).map(k => html`<span class="chip changed-${k}" data-kind=${k}>${counts.get(k)} ${k}</span>`);
    const custom = diff.fromStep !== h.current - 1;
    return html`<div class="changes" aria-label=${`Changes from step ${diff.fromStep} to step ${diff.toStep}`}>
      <span>step ${diff.fromStep} → ${diff.toStep}:</span> ${parts.length ? parts : html`<span class="muted">no block changed</span>`}
      ${custom ? html`<button class="link" @click=${() => this.compare(null)}>compare with the previous step</button>` : nothing}
      <div class="detail summary">${diff.summary}</div>
    </div>`;
  }

  private compare(step: number | null): void {
    this.dispatchEvent(new CustomEvent('compare-with', { detail: { step }, bubbles: true, composed: true }));
  }

  private step(step: number): void {
    const h = this.history;
    if (!h || step < 0 || step >= h.total || step === h.current) return;
    this.dispatchEvent(new CustomEvent('step-to', { detail: { step }, bubbles: true, composed: true }));
  }

  private onKey = (event: KeyboardEvent) => {
    const h = this.history;
    if (!h) return;
    const target = { ArrowLeft: h.current - 1, ArrowUp: h.current - 1, ArrowRight: h.current + 1, ArrowDown: h.current + 1, Home: 0, End: h.total - 1 }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    this.step(target);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'history-log': HistoryLog;
  }
}
