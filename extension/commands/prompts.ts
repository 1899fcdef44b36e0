// Quick inputs with validation as the user types.
import * as vscode from 'vscode';
import { numberInputProblem } from '../config/layoutInput';

export function askNumber(options: {
  title: string;
  prompt: string;
  /** The field's name in validation messages ("size must be a number…"), translated. */
  field: string;
  value?: string;
  placeHolder?: string;
  extraCheck?: (text: string) => string | vscode.InputBoxValidationMessage | undefined;
}): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: options.title,
    prompt: options.prompt,
    ...(options.value !== undefined ? { value: options.value } : {}),
    placeHolder: options.placeHolder ?? vscode.l10n.t('64, 0x40 or 1k'),
    ignoreFocusOut: true,
    validateInput: text => numberInputProblem(text, options.field) ?? options.extraCheck?.(text),
  });
}
