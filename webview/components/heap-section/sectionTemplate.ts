// A collapsible section as VS Code's views have them: the title, a count badge, the body. One
// template for the panel's map and for the sections below it.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { html, nothing } from 'lit';
import './heap-section';

export interface SectionSpec {
  readonly id: string;
  readonly title: string;
  readonly body: unknown;
  readonly open: boolean;
  /** The badge's number (none when undefined); `bad` shows it in the error color. */
  readonly count?: number;
  readonly bad?: boolean;
  readonly onToggle: (open: boolean) => void;
}

export function sectionTemplate(spec: SectionSpec) {
  return html`<heap-section
    class="section"
    data-section=${spec.id}
    .heading=${spec.title}
    ?open=${spec.open}
    @vsc-collapsible-toggle=${(e: CustomEvent<{ open: boolean }>) => spec.onToggle(e.detail.open)}
  >
    ${
      spec.count !== undefined
        ? html`<vscode-badge slot="decorations" variant="counter" class="count ${spec.bad ? 'bad' : ''}">${spec.count}</vscode-badge>`
        : nothing
    }
    <div class="section-body">${spec.body}</div>
  </heap-section>`;
}
