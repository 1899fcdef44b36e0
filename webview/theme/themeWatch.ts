// Calls back when VS Code changes the theme. A switch between two themes of the same kind keeps
// the body's class and theme kind: only the theme name/id attributes and the --vscode-* variables
// in <html>'s style attribute change, so those are watched too.
const BODY_ATTRIBUTES = ['class', 'data-vscode-theme-kind', 'data-vscode-theme-name', 'data-vscode-theme-id'];

/** Starts watching; returns the function that stops. */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: BODY_ATTRIBUTES });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
