// One way to own things that must be disposed: a class extends DisposableBase and registers what it
// creates (subscriptions, emitters, child objects) as it creates them, so dispose() cannot forget
// one. No vscode import: vscode.Disposable has the same shape, so both kinds register alike.

export interface Disposable {
  dispose(): void;
}

export abstract class DisposableBase implements Disposable {
  private readonly owned: Disposable[] = [];
  private disposedAlready = false;

  protected get isDisposed(): boolean {
    return this.disposedAlready;
  }

  /** Owns `value` from now on; a value registered after dispose() is disposed at once. */
  protected register<T extends Disposable>(value: T): T {
    if (this.disposedAlready) value.dispose();
    else this.owned.push(value);
    return value;
  }

  /** Disposes everything registered, newest first, once. */
  dispose(): void {
    if (this.disposedAlready) return;
    this.disposedAlready = true;
    while (this.owned.length) this.owned.pop()!.dispose();
  }
}
