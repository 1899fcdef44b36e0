import { css } from 'lit';

export const heapAppStyles = css`
  :host {
    display: block;
    padding: 8px 4px 24px;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    justify-content: space-between;
  }
  h1 {
    font-size: 1.3em;
    margin: 0;
    font-weight: 600;
  }
  .detail {
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  .columns {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(360px, 1fr));
    gap: 8px 16px;
    align-items: start;
  }
  details.section {
    border-top: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
    padding: 4px 0;
    margin-top: 6px;
    min-width: 0;
  }
  details.section > summary {
    cursor: pointer;
    font-weight: 600;
    text-transform: uppercase;
    font-size: 11px;
    letter-spacing: 0.04em;
    padding: 4px 0;
    color: var(--vscode-sideBarSectionHeader-foreground, var(--vscode-foreground, #cccccc));
  }
  details.section > summary .count {
    margin-left: 6px;
    padding: 0 6px;
    border-radius: 8px;
    background: var(--vscode-badge-background, #4d4d4d);
    color: var(--vscode-badge-foreground, #ffffff);
    text-transform: none;
  }
  details.section > summary .count.bad {
    background: var(--vscode-inputValidation-errorBorder, #be1100);
  }
  .waiting {
    color: var(--vscode-descriptionForeground, #9d9d9d);
    padding: 16px 0;
  }
`;
