import { css } from 'lit';

/**
 * @cssprop [--map-height=340px] Height of the map.
 * Colors are theme variables; the painter reads them through the --map-* properties below.
 */
export const blockMapStyles = css`
  :host {
    display: block;
    --map-background: var(--vscode-editor-background, #1e1e1e);
    --map-foreground: var(--vscode-foreground, #cccccc);
    --map-free: var(--vscode-editorWidget-background, #2d2d30);
    --map-unknown: var(--vscode-disabledForeground, #6e6e6e);
    --map-hue-0: var(--vscode-charts-blue, #3794ff);
    --map-hue-1: var(--vscode-charts-orange, #d18616);
    --map-hue-2: var(--vscode-charts-green, #89d185);
    --map-hue-3: var(--vscode-charts-purple, #b180d7);
    --map-hue-4: var(--vscode-charts-yellow, #cca700);
    --map-hue-5: var(--vscode-charts-red, #f14c4c);
    --map-focus: var(--vscode-focusBorder, #007fd4);
    --map-buddy: var(--vscode-charts-yellow, #cca700);
    --map-ancestor: var(--vscode-descriptionForeground, #9d9d9d);
    --map-added: var(--vscode-charts-green, #89d185);
    --map-removed: var(--vscode-charts-red, #f14c4c);
    --map-split: var(--vscode-charts-blue, #3794ff);
    --map-merged: var(--vscode-charts-purple, #b180d7);
    --map-blocker: var(--vscode-errorForeground, #f48771);
    --map-border: var(--vscode-contrastBorder, transparent);
    --map-hover: var(--vscode-editorCursor-foreground, var(--vscode-foreground, #cccccc));
    --map-ruler: var(--vscode-editorLineNumber-foreground, var(--vscode-descriptionForeground, #858585));
    --map-ruler-font: var(--vscode-editor-font-family, ui-monospace, monospace);
  }
  .frame {
    display: grid;
    grid-template-columns: auto 1fr 48px;
    /* One row exactly the frame's height: a canvas's pixel height (the ruler's) would otherwise
       feed the row's auto size, each re-measure growing it by the viewport's border, forever. */
    grid-template-rows: minmax(0, 1fr);
    gap: 6px;
    height: var(--map-height, 340px);
  }
  .viewport {
    position: relative;
    overflow: hidden;
    border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, rgba(128, 128, 128, 0.35)));
    background: var(--vscode-editor-background, #1e1e1e);
    cursor: crosshair;
    touch-action: none;
  }
  /* Wide enough for the longest address (--ruler-chars is set per heap): ch of the ruler's font. */
  canvas.ruler {
    width: calc(var(--ruler-chars, 10) * 1ch + 10px);
    height: 100%;
    font-family: var(--map-ruler-font);
    font-size: 11px;
  }
  canvas.map {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
  }
  canvas.map:focus-visible {
    outline: 2px solid var(--vscode-focusBorder, #007fd4);
    outline-offset: -2px;
  }
  .tooltip {
    position: absolute;
    pointer-events: none;
    z-index: 2;
    max-width: 320px;
    padding: 4px 8px;
    color: var(--vscode-editorHoverWidget-foreground, #cccccc);
    background: var(--vscode-editorHoverWidget-background, #252526);
    border: 1px solid var(--vscode-editorHoverWidget-border, #454545);
    box-shadow: 0 2px 8px var(--vscode-widget-shadow, rgba(0, 0, 0, 0.36));
    white-space: nowrap;
  }
  .tooltip[hidden] {
    display: none;
  }
  .tooltip dl {
    display: grid;
    grid-template-columns: auto auto;
    gap: 0 8px;
    margin: 0;
  }
  .tooltip dt {
    color: var(--vscode-descriptionForeground, #9d9d9d);
  }
  .tooltip dd {
    margin: 0;
  }
  .bar {
    display: flex;
    gap: 6px;
    align-items: center;
    flex-wrap: wrap;
    margin-bottom: 4px;
  }
  .legend {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
    align-items: center;
  }
  .legend .owners {
    display: inline-flex;
    gap: 8px;
    flex-wrap: wrap;
  }
  .swatch.free {
    background: var(--map-free-painted, var(--map-free));
  }
  .swatch.hue0 {
    background: var(--map-hue-0);
  }
  .swatch.hue1 {
    background: var(--map-hue-1);
  }
  .swatch.hue2 {
    background: var(--map-hue-2);
  }
  .swatch.sel {
    background: transparent;
    border: 2px solid var(--map-focus);
  }
  .swatch.buddy {
    background: transparent;
    border: 2px dashed var(--map-buddy);
  }
  .swatch.new {
    background: transparent;
    border: 2px solid var(--map-added);
  }
  .swatch.freed {
    background: transparent;
    border: 2px solid var(--map-removed);
  }
  .swatch.split {
    background: transparent;
    border: 2px solid var(--map-split);
  }
  .swatch.merged {
    background: transparent;
    border: 2px solid var(--map-merged);
  }
  .swatch.leak {
    background: transparent;
    border: 2px dashed var(--map-blocker);
  }
  .spacer {
    flex: 1;
  }
  select {
    font: inherit;
    color: var(--vscode-dropdown-foreground, #cccccc);
    background: var(--vscode-dropdown-background, #3c3c3c);
    border: 1px solid var(--vscode-dropdown-border, #3c3c3c);
  }
`;
