// Drives the built webview in headless Chromium: opens the panel page, delivers host messages,
// reads back what the webview posted and what it rendered (through its shadow roots).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';
import type { FromWebviewMessage, ToWebviewMessage } from '../../../core/protocol/messages';
import { encodeForPage } from './encode';
import { PageServer, startServer } from './server';
import type { ThemeName } from './themes';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/**
 * The usual mocha hooks of a panel suite: one Chromium for the suite, a fresh panel page per test
 * (handed to `use`, which may set it up further), and after each test no CSP violation and no console error.
 */
export function panelPagePerTest(use: (page: PanelPage) => void | Promise<void>, theme: ThemeName = 'dark'): void {
  let harness: Harness | undefined;
  let page: PanelPage | undefined;
  before(async () => {
    harness = await Harness.start();
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    page = await harness!.open(theme);
    await use(page);
  });
  afterEach(async () => {
    if (!page) return;
    assert.deepEqual(await page.cspViolations(), [], 'no CSP violations');
    assert.deepEqual(
      page.errors.filter(e => !e.includes('favicon') && !e.includes('404')),
      [],
      'no console errors',
    );
    await page.close();
    page = undefined;
  });
}

export class Harness {
  private constructor(
    readonly browser: Browser,
    readonly server: PageServer,
  ) {}

  static async start(): Promise<Harness> {
    const server = await startServer();
    const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
    return new Harness(browser, server);
  }

  async open(theme: ThemeName = 'dark', viewport = { width: 1280, height: 1100 }): Promise<PanelPage> {
    const context = await this.browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', error => errors.push(String(error)));
    page.on('console', message => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(this.server.url(theme));
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    return new PanelPage(page, errors);
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.close();
  }
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export class PanelPage {
  constructor(
    readonly page: Page,
    readonly errors: string[],
  ) {}

  /** Delivers a host message and waits until the webview reports it rendered. */
  async send(message: ToWebviewMessage, waitRendered = true): Promise<void> {
    await this.page.evaluate(encoded => (window as unknown as { __deliver(m: unknown): void }).__deliver(encoded), encodeForPage(message));
    if (waitRendered) await this.waitRendered(message.revision);
  }

  async waitRendered(revision: number): Promise<void> {
    await this.page.waitForFunction(
      r =>
        (window as unknown as { __posted: { type: string; revision?: number }[] }).__posted.some(
          m => m.type === 'rendered' && m.revision === r,
        ),
      revision,
      { timeout: 15_000 },
    );
  }

  async posted(): Promise<FromWebviewMessage[]> {
    return this.page.evaluate(() => (window as unknown as { __posted: FromWebviewMessage[] }).__posted);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => {
      (window as unknown as { __posted: unknown[] }).__posted = [];
    });
  }

  /** Messages posted since the last clear, without `rendered` reports. */
  async intents(): Promise<FromWebviewMessage[]> {
    return (await this.posted()).filter(m => m.type !== 'rendered');
  }

  async cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  }

  /** Text of the first element matching a path of selectors through nested shadow roots. */
  async text(...selectors: string[]): Promise<string> {
    return this.page.evaluate(path => {
      let node: Element | ShadowRoot | null | undefined = document.querySelector('heap-app')?.shadowRoot;
      for (let i = 0; i < path.length && node; i++) {
        const found: Element | null = node.querySelector(path[i]!);
        node = i < path.length - 1 ? found?.shadowRoot : found;
      }
      // innerText: what a reader sees (block boundaries become spaces), not raw concatenated text.
      return (node as HTMLElement | null | undefined)?.innerText?.replace(/\s+/g, ' ').trim() ?? '';
    }, selectors);
  }

  /** Runs a function on the element found at a shadow path (e.g. ['block-map', 'canvas.map']). */
  async onElement<T>(selectors: string[], fn: string): Promise<T> {
    return this.page.evaluate(
      ([path, body]) => {
        let node: Element | ShadowRoot | null | undefined = document.querySelector('heap-app')?.shadowRoot;
        let element: Element | null = null;
        for (let i = 0; i < path.length && node; i++) {
          element = node.querySelector(path[i]!);
          node = i < path.length - 1 ? element?.shadowRoot : undefined;
        }
        if (!element) throw new Error(`no element at ${path.join(' > ')}`);
        return new Function('el', body)(element);
      },
      [selectors, fn] as const,
    ) as Promise<T>;
  }

  /**
   * Clicks the center of the element at a shadow path once it is actionable, as Playwright checks:
   * scrolled into view, its box the same over two animation frames, and the element itself (or a
   * node inside it) hit at its center, or, for a control shown only under the pointer, its row. History rows with content-visibility take their real height
   * only in the frame after they come into view, and the map's resize shifts what is below it, so a
   * box measured at once could send the click to a neighbour.
   */
  async click(selectors: string[]): Promise<void> {
    const box = await this.onElement<{ x: number; y: number; w: number; h: number } | string>(
      selectors,
      `const frame = () => new Promise(done => requestAnimationFrame(() => done()));
      const hits = (x, y) => {
        let node = document.elementFromPoint(x, y);
        while (node && node !== el && node.shadowRoot) {
          const inner = node.shadowRoot.elementFromPoint(x, y);
          if (!inner || inner === node) break;
          node = inner;
        }
        const up = n => (n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentElement);
        for (let n = node; n; n = up(n)) if (n === el) return true;
        // A control shown only under the pointer (a row's compare button) is hit through its row.
        if (getComputedStyle(el).visibility === 'hidden') for (let n = up(el); n; n = up(n)) if (n === node) return true;
        return false;
      };
      return (async () => {
        let last = '';
        for (let tries = 0; tries < 60; tries++) {
          el.scrollIntoView({ block: 'center' });
          await frame();
          const r = el.getBoundingClientRect();
          const key = [r.left, r.top, r.width, r.height].join();
          if (key === last && hits(r.left + r.width / 2, r.top + r.height / 2)) return { x: r.left, y: r.top, w: r.width, h: r.height };
          last = key;
        }
        return 'the element did not settle where a click would reach it in 60 frames';
      })();`,
    );
    if (typeof box === 'string') throw new Error(`click ${selectors.join(' > ')}: ${box}`);
    await this.page.mouse.click(box.x + box.w / 2, box.y + box.h / 2);
  }

  /** Where the map draws the block at an offset (page CSS pixels), with the map scrolled into view. */
  async blockRect(offset: number): Promise<Box> {
    const rect = await this.onElement<Box | undefined>(
      ['block-map'],
      `el.scrollIntoView({ block: 'start' }); return el.rectOf(${offset});`,
    );
    if (!rect) throw new Error(`the block at ${offset} is not on screen`);
    return rect;
  }

  /** RGBA of the canvas at a shadow path, at a point in page CSS pixels (device pixels from its top left, as rectOf counts). */
  async canvasPixel(selectors: string[], x: number, y: number): Promise<number[]> {
    return this.onElement<number[]>(
      selectors,
      `const r = el.getBoundingClientRect();
      const px = Math.floor((${x} - r.left) * devicePixelRatio), py = Math.floor((${y} - r.top) * devicePixelRatio);
      return [...el.getContext('2d').getImageData(px, py, 1, 1).data];`,
    );
  }

  /** RGBA of the block map at a block: its middle, or just inside its top-left corner (where outlines start). */
  async mapPixel(offset: number, at: 'middle' | 'corner' = 'middle'): Promise<number[]> {
    const r = await this.blockRect(offset);
    return at === 'middle'
      ? this.canvasPixel(['block-map', 'canvas.map'], r.x + r.w / 2, r.y + r.h / 2)
      : this.canvasPixel(['block-map', 'canvas.map'], r.x + 1, r.y + 1);
  }

  /** RGBA of the minimap's middle column at a fraction (0..1) of the heap. */
  async minimapPixel(fraction: number): Promise<number[]> {
    return this.onElement<number[]>(
      ['block-map', 'heap-minimap', 'canvas'],
      `return [...el.getContext('2d').getImageData(Math.floor(el.width / 2), Math.min(el.height - 1, Math.floor(${fraction} * el.height)), 1, 1).data];`,
    );
  }

  /** Waits until scheduled paints are done: two frames (the map's), then queued tasks (the minimap's). */
  async settle(): Promise<void> {
    await this.page.evaluate(
      () =>
        new Promise<void>(resolve => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve, 0), 0)))),
    );
  }

  /** Sets the map's "Color by" dropdown as the user would: open it, click the option. */
  async colorBy(value: 'order' | 'owner'): Promise<void> {
    const select = this.page.locator('heap-app block-map vscode-single-select');
    await select.click();
    await select.locator('[role="option"]', { hasText: new RegExp(`^\\s*${value}\\s*$`) }).click();
    await this.page.waitForFunction(v => document.querySelector('heap-app')!.shadowRoot!.querySelector('block-map')!.colorBy === v, value);
    await this.settle();
  }

  /** A section's heading and its count badge (if any), as one line: "Integrity findings 2". */
  async sectionHeading(id: string): Promise<string> {
    const heading = await this.onElement<string>([`heap-section[data-section="${id}"]`, '.title'], 'return el.textContent.trim();');
    const count = await this.text(`heap-section[data-section="${id}"] > section-count > vscode-badge.count`);
    return count ? `${heading} ${count}` : heading;
  }

  async screenshot(name: string, extraCopy?: string): Promise<string> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    if (extraCopy) fs.copyFileSync(file, extraCopy);
    return file;
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}
