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
  /* The two columns side by side, the divider dragged as in VS Code; each column scrolls on its own.
     Until they are built (after the first map paint) a placeholder of the same height holds their place. */
  heap-columns {
    display: block;
  }
  .columns {
    height: max(420px, calc(100vh - 40px));
    margin-top: 6px;
    --vscode-editorWidget-border: var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
  }
  .column {
    box-sizing: border-box;
    overflow: auto;
    padding: 0 8px;
  }
  /* The panel is an editor, not the side bar: its sections sit on the editor's background. */
  heap-section.section {
    margin-top: 6px;
    min-width: 0;
    --vscode-sideBar-background: var(--vscode-editor-background, #1e1e1e);
    --vscode-sideBarSectionHeader-background: var(--vscode-editor-background, #1e1e1e);
    --vscode-sideBarTitle-foreground: var(--vscode-foreground, #cccccc);
    border-top: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
  }
  .section-body {
    padding: 4px 6px 6px 12px;
  }
  vscode-badge.count.bad {
    --vscode-badge-background: var(--vscode-inputValidation-errorBorder, #be1100);
    --vscode-badge-foreground: var(--vscode-button-foreground, #ffffff);
  }
  /* Until the first heap arrives: laid out (the map measures itself) but not shown. */
  header.pending,
  .views.pending {
    visibility: hidden;
  }
  .waiting {
    color: var(--vscode-descriptionForeground, #9d9d9d);
    padding: 16px 0;
  }
`;
