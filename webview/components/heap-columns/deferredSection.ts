// A section below the map renders after the frame that shows the map's part of a host update
// (see heap-columns). Its properties are set at once, so whatever it reads, from an event handler
// or a render of its own, is the latest state (a patched index is edited in place: the one before
// it is no longer whole); only its rendering waits, and updates arriving meanwhile share one render.
import type { LitElement } from 'lit';

// A mixin's constructor type must take any[] (TypeScript's rule for mixin classes).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LitConstructor = abstract new (...args: any[]) => LitElement;

export function DeferredSection<Base extends LitConstructor>(base: Base) {
  abstract class Deferred extends base {
    /** Resolves after the frame that shows the map's part of the latest host update. */
    renderAfter: Promise<void> | undefined;

    protected override async scheduleUpdate(): Promise<unknown> {
      if (this.renderAfter) await this.renderAfter;
      return super.scheduleUpdate();
    }
  }
  return Deferred;
}
