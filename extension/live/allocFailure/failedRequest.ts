// The request that failed, read from the frame stopped in an allocation-failure function: Rust's
// `layout: Layout` argument (size, align — align may be an Alignment enum like `_Align1Shl3`), or
// the C hook's arguments the setting names. Only stackTrace/scopes/variables, each one checked
// against the adapter's capabilities; what cannot be read is said, never guessed.
import * as l10n from '@vscode/l10n';
import { type DapChannel, type VariableInfo, frameScopes, listVariables } from '../../dap/dapSession';
import type { FailureHook } from './failureHooks';

export type FailedRequest =
  | { readonly ok: true; readonly size: bigint; readonly align: bigint; readonly note?: string }
  | { readonly ok: false; readonly missing: string };

/** Most variables looked at in one scope: a frame's arguments are few. */
const MAX_VARIABLES = 256;

async function variablesOf(channel: DapChannel, reference: number): Promise<VariableInfo[]> {
  return (await listVariables(channel, reference, { requests: 0 })).slice(0, MAX_VARIABLES);
}

/** The frame's arguments (and locals, where an adapter puts arguments there), argument scopes first. */
async function frameVariables(channel: DapChannel, frameId: number): Promise<VariableInfo[]> {
  const scopes = await frameScopes(channel, frameId, { requests: 0 });
  const ordered = [...scopes].sort((a, b) => rank(a) - rank(b));
  const all: VariableInfo[] = [];
  for (const scope of ordered.slice(0, 4)) {
    if (scope.variablesReference <= 0 || scope.expensive) continue;
    all.push(...(await variablesOf(channel, scope.variablesReference)));
  }
  return all;
}

function rank(scope: VariableInfo): number {
  const hint = `${scope.presentationHint ?? ''} ${scope.name}`.toLowerCase();
  return hint.includes('argument') ? 0 : hint.includes('local') ? 1 : 2;
}

/** A number as debuggers print it: decimal or hex, maybe with a type suffix or in an Alignment enum. */
export function parseDebuggerNumber(value: string): bigint | undefined {
  const shift = /_Align1Shl(\d{1,2})\b/.exec(value);
  if (shift) return 1n << BigInt(shift[1]!);
  const plain = /^\s*(0x[0-9a-fA-F]{1,16}|\d{1,20})(?:_?(?:usize|u64|u32|size_t))?\s*$/.exec(value);
  return plain ? BigInt(plain[1]!) : undefined;
}

/** A field's number, looking one level into a wrapper struct (Alignment(AlignmentEnum::_Align1Shl3), NonZero(8)). */
async function numberOf(channel: DapChannel, variable: VariableInfo): Promise<bigint | undefined> {
  const direct = parseDebuggerNumber(variable.value);
  if (direct !== undefined || variable.variablesReference <= 0) return direct;
  for (const inner of await variablesOf(channel, variable.variablesReference)) {
    const n = parseDebuggerNumber(inner.value);
    if (n !== undefined) return n;
  }
  return undefined;
}

/** The calling frame, asked when the failure function itself has no argument debug info. */
export interface CallerFrame {
  readonly id: number;
  readonly name: string;
}

export async function readFailedRequest(
  channel: DapChannel,
  frameId: number,
  language: 'rust' | 'c',
  hook: FailureHook | undefined,
  caller?: CallerFrame,
): Promise<FailedRequest> {
  const own = await readFrameRequest(channel, frameId, language, hook);
  if (own.ok || language !== 'rust' || !caller) return own;
  // std ships without argument debug info for handle_alloc_error; the caller usually has the
  // Layout it passed in a variable named layout. Used only under that name, and said so.
  const fromCaller = await readFrameRequest(channel, caller.id, language, hook, true);
  if (!fromCaller.ok) return own;
  return {
    ...fromCaller,
    note: l10n.t(
      "request read from the caller {0}'s layout: the stopped frame has none (std ships without argument debug info)",
      caller.name,
    ),
  };
}

async function readFrameRequest(
  channel: DapChannel,
  frameId: number,
  language: 'rust' | 'c',
  hook: FailureHook | undefined,
  layoutOnly = false,
): Promise<FailedRequest> {
  for (const command of ['scopes', 'variables']) {
    const refusal = channel.capabilities.refusal(command);
    if (refusal) return { ok: false, missing: l10n.t('the adapter does not answer {0} requests ({1})', command, refusal.message) };
  }
  let variables: VariableInfo[];
  try {
    variables = await frameVariables(channel, frameId);
  } catch (error) {
    return {
      ok: false,
      missing: l10n.t("the frame's variables could not be read ({0})", error instanceof Error ? error.message : String(error)),
    };
  }
  if (language === 'rust') {
    const layout = variables.find(v => v.name === 'layout');
    if (layout && layout.variablesReference > 0) {
      const fields = await variablesOf(channel, layout.variablesReference);
      const size = fields.find(f => f.name === 'size' || f.name === 'size_');
      const align = fields.find(f => f.name === 'align' || f.name === 'align_');
      const sizeValue = size ? await numberOf(channel, size) : undefined;
      const alignValue = align ? await numberOf(channel, align) : undefined;
      if (sizeValue !== undefined && alignValue !== undefined) return { ok: true, size: sizeValue, align: alignValue };
      return {
        ok: false,
        missing: l10n.t(
          "the frame's layout argument has no readable size and align ({0})",
          fields.map(f => `${f.name} = ${f.value}`).join(', ') || l10n.t('no fields'),
        ),
      };
    }
    if (layoutOnly) return { ok: false, missing: l10n.t('the frame has no layout variable') };
    // The handlers handle_alloc_error calls take (size, align) as plain arguments.
    const size = variables.find(v => v.name === 'size');
    const align = variables.find(v => v.name === 'align' || v.name === '_align');
    const sizeValue = size ? parseDebuggerNumber(size.value) : undefined;
    const alignValue = align ? parseDebuggerNumber(align.value) : undefined;
    if (sizeValue !== undefined && alignValue !== undefined) return { ok: true, size: sizeValue, align: alignValue };
    return {
      ok: false,
      missing:
        variables.length === 0
          ? l10n.t('the stopped frame shows no arguments (is the program built with debug info?), so the failed Layout is unknown')
          : l10n.t(
              'the stopped frame has no layout argument (it has {0})',
              variables
                .map(v => v.name)
                .slice(0, 8)
                .join(', '),
            ),
    };
  }
  if (!hook?.sizeArgument)
    return {
      ok: false,
      missing: l10n.t(
        'buddyHeap.live.allocationFailureHooks names no sizeArgument for {0}, so the request size is unknown',
        hook?.function ?? l10n.t('this hook'),
      ),
    };
  const size = variables.find(v => v.name === hook.sizeArgument);
  const sizeValue = size ? parseDebuggerNumber(size.value) : undefined;
  if (sizeValue === undefined)
    return {
      ok: false,
      missing: size
        ? l10n.t('{0}\'s argument {1} reads "{2}", not a number', hook.function, hook.sizeArgument, size.value)
        : l10n.t(
            'the stopped frame has no argument {0} (no debug info for {1}, or another parameter name)',
            hook.sizeArgument,
            hook.function,
          ),
    };
  if (!hook.alignArgument)
    return { ok: true, size: sizeValue, align: 1n, note: l10n.t('no alignArgument is set for {0}: explained as align 1', hook.function) };
  const align = variables.find(v => v.name === hook.alignArgument);
  const alignValue = align ? parseDebuggerNumber(align.value) : undefined;
  if (alignValue === undefined)
    return {
      ok: false,
      missing: align
        ? l10n.t('the stopped frame\'s argument {0} is "{1}", not a number', hook.alignArgument, align.value)
        : l10n.t("the stopped frame's argument {0} is absent", hook.alignArgument),
    };
  return { ok: true, size: sizeValue, align: alignValue };
}
