// Webview entry: translations first, then the panel's elements; <heap-app> in the page does the rest.
import './l10n/setup';
import './components/heap-app/heap-app';
