// Webview entry: defines the panel's elements; <heap-app> in the page does the rest.
import './components/heap-app/heap-app';
