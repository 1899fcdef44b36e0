// A minimal event emitter with vscode's Event shape, so the host's pure logic (sessions, the panel
// controller) runs in plain Node unit tests without the `vscode` module.

import type { Disposable } from './dispose';
export type { Disposable } from './dispose';

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = listener => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
