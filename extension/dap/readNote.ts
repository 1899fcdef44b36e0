// Something a read found worth saying that is not an error (a setting the target contradicts).
export interface ReadNote {
  /** info: the log only; warning: the log and a panel notice. */
  readonly level: 'info' | 'warning';
  readonly message: string;
}
