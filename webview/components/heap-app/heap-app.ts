// The panel's root: receives host messages (validated), keeps the latest state, lays out the views
// and turns the views' events into intents for the host. Heap data always comes from the host;
// only how the user left the panel (zoom, selection, open sections) is kept with setState.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import * as l10n from '@vscode/l10n';
import { LitElement, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { FromWebviewMessage, PanelCommand, ToWebviewMessage } from '../../../core/protocol/messages';
import { validateToWebview } from '../../../core/protocol/validate';
import { applyHistoryTail } from '../../../core/protocol/applyHistoryTail';
import {
  HeapViewModel,
  PROTOCOL_VERSION,
  WireDiff,
  WireHistory,
  WireHistoryTail,
  WireNotice,
  WireSource,
} from '../../../core/protocol/viewModel';
import type { WireViewPatch } from '../../../core/protocol/viewPatch';
import { loadUiState, post, saveUiState } from '../../host/vscodeApi';
import { HeapIndex } from '../../model/heapIndex';
import { OwnerSlotRegistry, OwnerSlots } from '../../model/ownerSlots';
import { sharedStyles } from '../../styles/shared';
import { HUE_COUNT, MapPalette } from '../../theme/palette';
import { heapAppStyles } from './heap-app.styles';
import { warmUpHotPaths } from './warmUp';
import type { BlockMap, ColorBy } from '../block-map/block-map';
import type { Region } from '../block-map/mapOverlays';
import type { HeapColumns } from '../heap-columns/heap-columns';
import { sectionTemplate } from '../heap-section/sectionTemplate';
import '../block-map/block-map';
import '../heap-columns/heap-columns';
import '../notice-banner/notice-banner';
import { timingMark } from '../../util/timingMark';

/** No notice: the same empty list every render, so the map sees no change. */
const NO_HIGHLIGHTS: readonly Region[] = [];

/** @tag heap-app */
@customElement('heap-app')
export class HeapApp extends LitElement {
  static override styles = [sharedStyles, heapAppStyles];

  @state() private source: WireSource | undefined;
  @state() private index: HeapIndex | undefined;
  @state() private history: WireHistory | undefined;
  @state() private diff: WireDiff | null = null;
  @state() private selection: number | null = null;
  @state() private notice: WireNotice | null = null;
  @state() private colorBy: ColorBy = 'order';
  @state() private closed = new Set<string>();
  /** Owner colors, assigned per label so they hold across views. */
  @state() private owners: OwnerSlots | undefined;
  /** The map's colors from the theme, for owner swatches elsewhere. */
  @state() private palette: MapPalette | undefined;

  @query('block-map') private map!: BlockMap;
  @query('heap-columns') private columns: HeapColumns | null | undefined;

  private revision = 0;
  private readonly saved = loadUiState();
  private readonly ownerSlots = new OwnerSlotRegistry(HUE_COUNT);
  /** The view to restore, read once (a new object per render would update the map every time). */
  private readonly initialView = { zoom: this.saved.zoom, scrollFraction: this.saved.scrollFraction };
  /** Messages that failed validation (for tests and the host log). */
  rejected = 0;
  /**
   * Whether the sections below the map are built. The first heap paints its map first and builds
   * the rest (a free list of half a million entries, trees, tables) in a task after that frame:
   * the map is what the user waits for, and creating every section's elements before it would
   * double the wait. Once built, the sections follow each update in the same frame as the map.
   */
  @state() private sectionsBuilt = false;
  /** Resolves when the sections are built (pending only between the first heap and that task). */
  private sectionsPending: Promise<void> | undefined;
  /**
   * After a host update, resolves once the frame showing its map has drawn: the sections render
   * then (see heap-columns). One per frame: updates arriving before it share it.
   */
  private sectionsDue: Promise<void> | undefined;

  constructor() {
    super();
    this.colorBy = this.saved.colorBy ?? 'order';
    this.closed = new Set(this.saved.closedSections ?? []);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('message', this.onMessage);
    window.addEventListener('error', this.onError);
    window.addEventListener('unhandledrejection', this.onRejection);
    this.send({ type: 'ready', protocol: PROTOCOL_VERSION });
    // While the host answers `ready` with the heap (and before that message can be handled).
    if (!this.index) this.warmUp();
  }

  private warmUp(): void {
    warmUpHotPaths(
      () => !this.index,
      () => this.map ?? undefined,
    ).then(
      // For the bench: what the warm-up cost (it runs while the panel waits, not in a first paint).
      spent => performance.measure('buddy-heap:warm-up', { start: 0, duration: spent }),
      (error: unknown) => console.error(`[buddy-heap] warm-up failed: ${String(error)}`),
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('message', this.onMessage);
    window.removeEventListener('error', this.onError);
    window.removeEventListener('unhandledrejection', this.onRejection);
  }

  //#region host messages

  private onMessage = (event: MessageEvent) => {
    // Marks for the bench's breakdown (message → validated → applied → map painted).
    timingMark('message');
    const checked = validateToWebview(event.data);
    timingMark('validated');
    if (!checked.ok) {
      this.rejected++;
      console.warn(`[buddy-heap] rejected a host message: ${checked.error}`);
      this.send({ type: 'webviewError', message: `rejected a host message: ${checked.error}` });
      return;
    }
    this.apply(checked.value);
    timingMark('applied');
  };

  private apply(message: ToWebviewMessage): void {
    if (message.revision < this.revision && message.type === 'update') return; // stale
    this.revision = message.revision;
    if (message.type === 'init') {
      this.source = message.source;
      const index = this.setView(message.view);
      this.history = message.history;
      this.diff = message.diff;
      this.notice = message.notice;
      // The host forgets the selection on restart; the webview's saved one fills in.
      const restored = message.selection ?? this.saved.selection ?? null;
      this.selection = restored !== null && index.blockAtOffset(restored) >= 0 ? restored : null;
      if (message.selection === null && this.selection !== null) this.send({ type: 'selectBlock', offset: this.selection });
    } else {
      this.sectionsDue ??= afterNextFrame().then(() => {
        // For the bench: the first task after the frame that showed the map (its end, as seen from script).
        timingMark('sections');
        this.sectionsDue = undefined;
      });
      if (message.source) this.source = message.source;
      if (message.view) this.setView(message.view);
      if (message.patch && !this.applyPatch(message.patch)) return;
      if (message.history) this.history = message.history;
      if (message.historyTail && !this.applyHistoryTail(message.historyTail)) return;
      if (message.diff !== undefined) this.diff = message.diff;
      if (message.notice !== undefined) this.notice = message.notice;
      if (message.selection !== undefined) this.selection = message.selection;
    }
    void this.reportRendered(message.revision);
  }

  private setView(view: HeapViewModel): HeapIndex {
    this.owners = this.ownerSlots.assign(view.ownerLabels);
    return (this.index = new HeapIndex(view));
  }

  /** One operation's change to the view held; false (and the whole state asked for again) when it does not fit. */
  private applyPatch(patch: WireViewPatch): boolean {
    const patched = this.index?.patched(patch) ?? { error: 'no view is held' };
    if ('error' in patched) return this.resync(patched.error);
    // Owner colors are kept unless the label set changed (new slots would repaint every block).
    if (patched.index.view.ownerLabels !== this.index!.view.ownerLabels)
      this.owners = this.ownerSlots.assign(patched.index.view.ownerLabels);
    this.index = patched.index;
    return true;
  }

  private applyHistoryTail(tail: WireHistoryTail): boolean {
    const outcome = this.history ? applyHistoryTail(this.history, tail) : { ok: false as const, error: 'no history is held' };
    if (!outcome.ok) return this.resync(outcome.error);
    this.history = outcome.history;
    return true;
  }

  /** The webview fell out of step with the host (it should not): say so and ask for the whole state. */
  private resync(reason: string): false {
    console.warn(`[buddy-heap] ${reason}`);
    this.send({ type: 'webviewError', message: reason });
    this.send({ type: 'ready', protocol: PROTOCOL_VERSION });
    return false;
  }

  /** After the views (and the map's next frame) have drawn this revision, tell the host what shows. */
  private async reportRendered(revision: number): Promise<void> {
    await this.updateComplete;
    await new Promise<void>(resolve => requestAnimationFrame(() => resolve()));
    if (revision !== this.revision) return;
    const view = this.index?.view;
    this.send({
      type: 'rendered',
      revision,
      step: this.history?.current ?? 0,
      blocks: view?.blocks.count ?? 0,
      freeBlocks: view ? view.freeLists.reduce((n, list) => n + list.offsets.length, 0) : 0,
      findings: view?.findings.length ?? 0,
      selection: this.selection,
      notice: this.notice?.title ?? null,
    });
  }

  /** Includes the deferred sections: a `rendered` report must come only after everything drew. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.sectionsPending) {
      await this.sectionsPending;
      done = await super.getUpdateComplete();
    }
    if (this.columns) done = (await this.columns.updateComplete) && done;
    return done;
  }

  override updated(): void {
    if (this.index && !this.sectionsBuilt && !this.sectionsPending) {
      // After the frame that shows the map (a rAF callback runs before that frame; the timeout after it).
      this.sectionsPending = afterNextFrame().then(() => {
        this.sectionsBuilt = true;
        this.sectionsPending = undefined;
      });
    }
  }

  //#endregion

  override render() {
    const source = this.source;
    const index = source ? this.index : undefined;
    // The header and the map are built while the panel waits for the heap (laid out but hidden):
    // their elements, styles, layout and canvas are ready when the heap arrives, which then only
    // has to fill in the words and paint.
    return html`${index && source ? nothing : html`<p class="waiting" role="status">${l10n.t('Waiting for the heap…')}</p>`}
      ${this.header(index, source)}
      ${index ? html`<notice-banner .notice=${this.notice} .index=${index} @dismiss-notice=${this.dismissNotice}></notice-banner>` : nothing}
      <div
        class=${index ? 'views' : 'views pending'}
        @block-select=${this.onSelect}
        @step-to=${this.onStepTo}
        @compare-with=${this.onCompareWith}
        @section-toggle=${(e: CustomEvent<{ id: string; open: boolean }>) => this.onToggle(e.detail.id, e.detail.open)}
      >
        ${this.section(
          'map',
          l10n.t('Block map'),
          html`<block-map
            .index=${index}
            .selection=${this.selection}
            .diff=${this.diff}
            .highlights=${this.notice?.blocks ?? NO_HIGHLIGHTS}
            .colorBy=${this.colorBy}
            .owners=${this.owners}
            .initialView=${this.initialView}
            @palette-change=${(e: CustomEvent<{ palette: MapPalette }>) => {
              this.palette = e.detail.palette;
            }}
            @color-by-change=${(e: CustomEvent<{ colorBy: ColorBy }>) => {
              this.colorBy = e.detail.colorBy;
              saveUiState({ colorBy: this.colorBy });
            }}
            @viewport-change=${(e: CustomEvent<{ zoom: number; scrollFraction: number }>) => saveUiState({ zoom: e.detail.zoom, scrollFraction: e.detail.scrollFraction })}
          ></block-map>`,
        )}
        ${
          index && this.sectionsBuilt
            ? html`<heap-columns
                .index=${index}
                .history=${this.history}
                .diff=${this.diff}
                .selection=${this.selection}
                .owners=${this.owners}
                .palette=${this.palette}
                .colorBy=${this.colorBy}
                .closed=${this.closed}
                .renderAfter=${this.sectionsDue}
              ></heap-columns>`
            : html`<div class="columns" aria-busy="true"></div>`
        }
      </div>`;
  }

  /**
   * The heap's name and the simulation's actions. Before the first heap: hidden, with the actions
   * (most heaps shown first are simulated; a source that cannot simulate drops them).
   */
  private header(index: HeapIndex | undefined, source: WireSource | undefined) {
    const pending = !index || !source;
    const sim = pending || source.canSimulate;
    const selectedAllocation = !pending && this.selection !== null ? index.allocationAt(this.selection) : -1;
    return html`<header class=${pending ? 'pending' : ''}>
      <div>
        <h1>${source?.label ?? ''}</h1>
        <div class="detail">${source?.detail ?? ''}</div>
      </div>
      ${
        sim
          ? html`<div class="toolbar" role="toolbar" aria-label=${l10n.t('Heap actions')}>
              <vscode-button icon="add" @click=${() => this.command('simulateAllocation')}>${l10n.t('Allocate…')}</vscode-button>
              <vscode-button
                secondary
                icon="trash"
                ?disabled=${selectedAllocation < 0}
                aria-label=${l10n.t('Free the selected allocation')}
                @click=${() => selectedAllocation >= 0 && this.selection !== null && this.send({ type: 'freeBlock', offset: this.selection })}
                >${l10n.t('Free selected')}</vscode-button
              >
              <vscode-button secondary icon="remove" @click=${() => this.command('simulateDeallocation')}>${l10n.t('Free…')}</vscode-button>
              <vscode-button secondary icon="discard" @click=${() => this.command('resetHeap')}>${l10n.t('Reset')}</vscode-button>
              <vscode-button secondary icon="settings-gear" @click=${() => this.command('configureLayout')}
                >${l10n.t('Layout…')}</vscode-button
              >
              <vscode-button secondary icon="play" @click=${() => this.command('replayTrace')}>${l10n.t('Replay trace…')}</vscode-button>
              <vscode-button secondary icon="export" @click=${() => this.command('exportTrace')}>${l10n.t('Export trace…')}</vscode-button>
            </div>`
          : nothing
      }
    </header>`;
  }

  /** A collapsible section (the map's; the others are heap-columns'). */
  private section(id: string, title: string, body: unknown) {
    return sectionTemplate({ id, title, body, open: !this.closed.has(id), onToggle: open => this.onToggle(id, open) });
  }

  //#region intents

  private onSelect = (event: CustomEvent<{ offset: number | null }>) => {
    const offset = event.detail.offset;
    const index = this.index;
    // A click on an address inside a block (a finding, a split node) selects the block holding it.
    const normalized =
      offset === null || !index ? null : index.blockAtOffset(offset) >= 0 ? index.block(index.blockAtOffset(offset)).offset : null;
    this.selection = normalized;
    saveUiState({ selection: normalized });
    this.send({ type: 'selectBlock', offset: normalized });
    if (normalized !== null && event.composedPath()[0] !== this.map)
      void this.updateComplete.then(() => this.map?.revealOffset(normalized));
  };

  private onStepTo = (event: CustomEvent<{ step: number }>) => {
    this.send({ type: 'stepTo', step: event.detail.step });
  };

  private onCompareWith = (event: CustomEvent<{ step: number | null }>) => {
    this.send({ type: 'compareWith', step: event.detail.step });
  };

  private dismissNotice = () => {
    this.notice = null;
    this.send({ type: 'dismissNotice' });
  };

  private command(command: PanelCommand): void {
    this.send({ type: 'runCommand', command });
  }

  private onToggle(id: string, open: boolean): void {
    if (open === !this.closed.has(id)) return;
    const next = new Set(this.closed);
    if (open) next.delete(id);
    else next.add(id);
    this.closed = next;
    saveUiState({ closedSections: [...next] });
  }

  private onError = (event: ErrorEvent) => {
    // Not an error: the browser says a resize (the split layout's panes) is delivered next frame.
    if (event.message.startsWith('ResizeObserver loop')) return;
    this.send({ type: 'webviewError', message: `${event.message} (${event.filename}:${event.lineno})` });
  };

  private onRejection = (event: PromiseRejectionEvent) => {
    this.send({ type: 'webviewError', message: `unhandled rejection: ${String(event.reason)}` });
  };

  private send(message: FromWebviewMessage): void {
    post(message);
  }

  //#endregion
}

/** Resolves after the next frame is drawn (a rAF callback runs before that frame; a timeout after it). */
function afterNextFrame(): Promise<void> {
  return new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

declare global {
  interface HTMLElementTagNameMap {
    'heap-app': HeapApp;
  }
}
