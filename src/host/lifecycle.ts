// Ownership of disposables: every panel, runner and controller extends Disposable and registers what it creates.
export interface IDisposable {
  dispose(): void;
}

export abstract class Disposable implements IDisposable {
  private readonly owned = new Set<IDisposable>();
  private disposedFlag = false;

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** Takes ownership of `value`; an owner that is already disposed disposes it at once so nothing leaks. */
  protected _register<T extends IDisposable>(value: T): T {
    if (this.disposedFlag) value.dispose();
    else this.owned.add(value);
    return value;
  }

  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    const errors: unknown[] = [];
    for (const value of this.owned) {
      try {
        value.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    this.owned.clear();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed');
  }
}

export function toDisposable(dispose: () => void): IDisposable {
  let done = false;
  return { dispose: () => { if (!done) { done = true; dispose(); } } };
}
