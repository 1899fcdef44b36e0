// Playwright passes plain JSON into the page: typed arrays travel as base64 and are rebuilt by the
// page's bridge (window.__deliver) before the webview sees them.

export function encodeForPage(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { __typed: value.constructor.name, data: bytes.toString('base64') };
  }
  if (Array.isArray(value)) return value.map(encodeForPage);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = encodeForPage(v);
    return out;
  }
  return value;
}
