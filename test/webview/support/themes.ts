// A subset of the --vscode-* variables VS Code injects into webviews, for light, dark and
// high-contrast pages. Served as stylesheets (the real CSP forbids inline styles).

const common = `--vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace; --vscode-editor-font-size: 12px;`;

export const THEMES = {
  light: {
    bodyClass: 'vscode-light',
    css: `html { ${common}
      --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #717171; --vscode-editor-background: #ffffff;
      --vscode-editorWidget-background: #e8e8e8; --vscode-widget-border: #d4d4d4; --vscode-panel-border: #e5e5e5;
      --vscode-focusBorder: #005fb8; --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff;
      --vscode-button-hoverBackground: #0258a8; --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b;
      --vscode-button-secondaryHoverBackground: #cccccc; --vscode-badge-background: #cccccc; --vscode-badge-foreground: #3b3b3b;
      --vscode-charts-blue: #1a85ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #388a34; --vscode-charts-purple: #652d90;
      --vscode-charts-yellow: #bf8803; --vscode-charts-red: #e51400; --vscode-errorForeground: #a1260d; --vscode-textLink-foreground: #005fb8;
      --vscode-list-activeSelectionBackground: #e4e6f1; --vscode-list-activeSelectionForeground: #000000; --vscode-list-hoverBackground: #f2f2f2;
      --vscode-list-inactiveSelectionBackground: #e4e6f1;
      --vscode-editorHoverWidget-background: #f8f8f8; --vscode-editorHoverWidget-foreground: #3b3b3b; --vscode-editorHoverWidget-border: #c8c8c8;
      --vscode-inputValidation-errorBackground: #f2dede; --vscode-inputValidation-errorBorder: #be1100; --vscode-disabledForeground: #a0a0a0;
      --vscode-icon-foreground: #3b3b3b; --vscode-toolbar-hoverBackground: rgba(184, 184, 184, 0.31); --vscode-sideBar-background: #f8f8f8;
      --vscode-sideBarSectionHeader-background: #f8f8f8; --vscode-sideBarTitle-foreground: #3b3b3b; --vscode-settings-dropdownBackground: #ffffff;
      --vscode-settings-dropdownBorder: #cecece; --vscode-settings-dropdownForeground: #3b3b3b; --vscode-settings-dropdownListBorder: #c8c8c8;
      --vscode-list-focusOutline: #005fb8; --vscode-list-highlightForeground: #0066bf; --vscode-inputOption-activeBorder: #005fb8;
      --vscode-widget-shadow: rgba(0, 0, 0, 0.16); --vscode-editorLineNumber-foreground: #6e7681; }
      body { background: #ffffff; color: #3b3b3b; margin: 0; padding: 0 12px; }`,
  },
  dark: {
    bodyClass: 'vscode-dark',
    css: `html { ${common}
      --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-editor-background: #1f1f1f;
      --vscode-editorWidget-background: #333338; --vscode-widget-border: #454545; --vscode-panel-border: #2b2b2b;
      --vscode-focusBorder: #0078d4; --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff;
      --vscode-button-hoverBackground: #026ec1; --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc;
      --vscode-button-secondaryHoverBackground: #3c3c3c; --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8;
      --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185; --vscode-charts-purple: #b180d7;
      --vscode-charts-yellow: #cca700; --vscode-charts-red: #f14c4c; --vscode-errorForeground: #f85149; --vscode-textLink-foreground: #4daafc;
      --vscode-list-activeSelectionBackground: #04395e; --vscode-list-activeSelectionForeground: #ffffff; --vscode-list-hoverBackground: #2a2d2e;
      --vscode-list-inactiveSelectionBackground: #37373d;
      --vscode-editorHoverWidget-background: #202020; --vscode-editorHoverWidget-foreground: #cccccc; --vscode-editorHoverWidget-border: #454545;
      --vscode-inputValidation-errorBackground: #5a1d1d; --vscode-inputValidation-errorBorder: #be1100; --vscode-disabledForeground: #6e6e6e;
      --vscode-icon-foreground: #cccccc; --vscode-toolbar-hoverBackground: rgba(90, 93, 94, 0.31); --vscode-sideBar-background: #181818;
      --vscode-sideBarSectionHeader-background: #181818; --vscode-sideBarTitle-foreground: #cccccc; --vscode-settings-dropdownBackground: #313131;
      --vscode-settings-dropdownBorder: #3c3c3c; --vscode-settings-dropdownForeground: #cccccc; --vscode-settings-dropdownListBorder: #454545;
      --vscode-list-focusOutline: #0078d4; --vscode-list-highlightForeground: #2aaaff; --vscode-inputOption-activeBorder: #2488db;
      --vscode-widget-shadow: rgba(0, 0, 0, 0.36); --vscode-editorLineNumber-foreground: #6e7681; }
      body { background: #1f1f1f; color: #cccccc; margin: 0; padding: 0 12px; }`,
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    css: `html { ${common}
      --vscode-foreground: #ffffff; --vscode-descriptionForeground: #ffffff; --vscode-editor-background: #000000;
      --vscode-editorWidget-background: #0c0c0c; --vscode-widget-border: #6fc3df; --vscode-contrastBorder: #6fc3df; --vscode-panel-border: #6fc3df;
      --vscode-focusBorder: #f38518; --vscode-button-background: #000000; --vscode-button-foreground: #ffffff; --vscode-button-border: #6fc3df;
      --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185; --vscode-charts-purple: #b180d7;
      --vscode-charts-yellow: #cca700; --vscode-charts-red: #f14c4c; --vscode-errorForeground: #f48771;
      --vscode-icon-foreground: #ffffff; --vscode-toolbar-hoverOutline: #f38518; --vscode-sideBar-background: #000000;
      --vscode-sideBarSectionHeader-background: #000000; --vscode-sideBarSectionHeader-border: #6fc3df; --vscode-sideBarTitle-foreground: #ffffff;
      --vscode-settings-dropdownBackground: #000000; --vscode-settings-dropdownBorder: #6fc3df; --vscode-settings-dropdownForeground: #ffffff;
      --vscode-settings-dropdownListBorder: #6fc3df; --vscode-list-focusOutline: #f38518; --vscode-list-highlightForeground: #f38518;
      --vscode-inputOption-activeBorder: #6fc3df; --vscode-badge-background: #000000; --vscode-badge-foreground: #ffffff;
      --vscode-editorLineNumber-foreground: #ffffff; }
      body { background: #000000; color: #ffffff; margin: 0; padding: 0 12px; }`,
  },
} as const;

export type ThemeName = keyof typeof THEMES;
