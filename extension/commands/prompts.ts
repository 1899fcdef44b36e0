// Quick inputs with validation as the user types.
import * as vscode from 'vscode';
import { numberInputProblem } from '../config/layoutInput';

export function askNumber(options: {
  title: string;
  prompt: string;
  value?: string;
  placeHolder?: string;
  extraCheck?: (text: string) => string | vscode.InputBoxValidationMessage | undefined;
}): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: options.title,
    prompt: options.prompt,
    ...(options.value !== undefined ? { value: options.value } : {}),
    placeHolder: options.placeHolder ?? '64, 0x40 or 1k',
    ignoreFocusOut: true,
    validateInput: text => numberInputProblem(text, options.prompt.replace(/ \(.*$/, '')) ?? options.extraCheck?.(text),
  });
}
