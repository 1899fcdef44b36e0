// A collapsible section as VS Code's views have them: the title, a count badge, the body. One
// template for the panel's map and for the sections below it.
import { html, nothing } from 'lit';
import './heap-section';
import './section-count';

export interface SectionSpec {
  readonly id: string;
  readonly title: string;
  readonly body: unknown;
  readonly open: boolean;
  /** The badge's number (none when undefined); `bad` shows it in the error color. */
  readonly count?: number;
  readonly bad?: boolean;
  /** The badge renders after this (see DeferredSection). */
  readonly renderAfter?: Promise<void>;
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
        ? html`<section-count
            slot="decorations"
            .renderAfter=${spec.renderAfter}
            .count=${spec.count}
            .bad=${spec.bad ?? false}
          ></section-count>`
        : nothing
    }
    <div class="section-body">${spec.body}</div>
  </heap-section>`;
}
