// Styles shared by every element: theme variables with fallbacks, focus rings, buttons, tables.
// Adopted as constructable stylesheets (CSP allows them; inline style attributes it does not).
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    color: var(--vscode-foreground, #cccccc);
    font-family: var(--vscode-font-family, system-ui, sans-serif);
    font-size: var(--vscode-font-size, 13px);
  }
  .mono,
  code {
    font-family: var(--vscode-editor-font-family, ui-monospace, monospace);
    font-size: var(--vscode-editor-font-size, 12px);
  }
  button {
    font: inherit;
    color: var(--vscode-button-secondaryForeground, #ffffff);
    background: var(--vscode-button-secondaryBackground, #3a3d41);
    border: 1px solid var(--vscode-button-border, transparent);
    border-radius: 2px;
    padding: 2px 8px;
    cursor: pointer;
  }
  button:hover {
    background: var(--vscode-button-secondaryHoverBackground, #45494e);
  }
  button.primary {
    color: var(--vscode-button-foreground, #ffffff);
    background: var(--vscode-button-background, #0e639c);
  }
  button.primary:hover {
    background: var(--vscode-button-hoverBackground, #1177bb);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button.link {
    background: none;
    border: none;
    padding: 0;
    color: var(--vscode-textLink-foreground, #3794ff);
    text-decoration: underline;
  }
  :focus-visible {
    outline: 1px solid var(--vscode-focusBorder, #007fd4);
    outline-offset: 1px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 2px 6px;
    border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, rgba(128, 128, 128, 0.35)));
  }
  th {
    font-weight: 600;
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .muted {
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  /* On a selected row, secondary text takes the selection's color (the gray would be unreadable). */
  [aria-current='step'] .muted,
  [aria-selected='true'] > .row .muted,
  [aria-selected='true'] > .row .free,
  [aria-selected='true'] > .row .allocated {
    color: inherit;
  }
  .error-text {
    color: var(--vscode-errorForeground, #f48771);
  }
  .warning-text {
    color: var(--vscode-editorWarning-foreground, #cca700);
  }
  .chip {
    display: inline-block;
    padding: 0 4px;
    margin: 1px 2px;
    border-radius: 3px;
    border: 1px solid var(--vscode-widget-border, rgba(128, 128, 128, 0.35));
    background: var(--vscode-badge-background, #4d4d4d);
    color: var(--vscode-badge-foreground, #ffffff);
    cursor: pointer;
    font: inherit;
  }
  .chip[aria-current='true'],
  .chip.selected {
    outline: 2px solid var(--vscode-focusBorder, #007fd4);
  }
  .chip.changed-new,
  .row.changed-new {
    box-shadow: inset 3px 0 0 var(--vscode-charts-green, #89d185);
  }
  .chip.changed-freed,
  .row.changed-freed {
    box-shadow: inset 3px 0 0 var(--vscode-charts-red, #f14c4c);
  }
  .chip.changed-split,
  .row.changed-split {
    box-shadow: inset 3px 0 0 var(--vscode-charts-blue, #3794ff);
  }
  .chip.changed-merged,
  .row.changed-merged {
    box-shadow: inset 3px 0 0 var(--vscode-charts-purple, #b180d7);
  }
  /* A color key (map legend, ownership table); its color comes from a more specific rule. */
  .swatch {
    display: inline-block;
    width: 10px;
    height: 10px;
    border: 1px solid var(--vscode-widget-border, rgba(128, 128, 128, 0.5));
    vertical-align: middle;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
