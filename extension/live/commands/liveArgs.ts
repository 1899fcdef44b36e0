// Picking what a live command acts on: the debug session (argument, the only one, or a quick
// pick) and the live heap (argument, the panel's, or a quick pick).
import * as vscode from 'vscode';
import type { LiveDebugging } from '../liveDebugging';
import type { LiveHeapSource } from '../liveHeapSource';

export function stringArg(args: unknown, key: string): string | undefined {
  if (typeof args !== 'object' || args === null) return undefined;
  const value = (args as Record<string, unknown>)[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export async function pickSession(live: LiveDebugging, sessionId: string | undefined): Promise<vscode.DebugSession | undefined | 'none'> {
  if (sessionId) return live.session(sessionId) ?? 'none';
  const sessions = live.debugSessions();
  if (sessions.length === 0) return 'none';
  const active = vscode.debug.activeDebugSession;
  if (sessions.length === 1) return sessions[0];
  const picked = await vscode.window.showQuickPick(
    sessions.map(session => ({
      label: session.name,
      description: [
        session.type,
        ...(session.id === active?.id ? [vscode.l10n.t('active')] : []),
        live.isStopped(session.id) ? vscode.l10n.t('stopped') : vscode.l10n.t('running'),
      ].join(' · '),
      session,
    })),
    { title: vscode.l10n.t('Attach the heap panel to which debug session?'), ignoreFocusOut: true },
  );
  return picked?.session;
}

/** The live source a command acts on: by heap name (argument), the panel's, the only one, or picked. */
export async function pickSource(live: LiveDebugging, heapName: string | undefined): Promise<LiveHeapSource | undefined> {
  const all = live.allSources();
  if (heapName)
    return all.find(s => s.heapName === heapName) ?? (live.activeSource()?.heapName === heapName ? live.activeSource() : undefined);
  const active = live.activeSource();
  if (active) return active;
  if (all.length <= 1) return all[0];
  const picked = await vscode.window.showQuickPick(
    all.map(source => ({ label: source.heapName, description: source.describe().detail, source })),
    { title: vscode.l10n.t('Which live heap?'), ignoreFocusOut: true },
  );
  return picked?.source;
}
