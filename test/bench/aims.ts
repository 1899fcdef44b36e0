// Issue 14's table, read back from one `npm run bench` run: each row's measure, its aim, whether
// it is met, and, where it is not, what the run's own breakdown rows say the rest of the time is.
// Pure: it only reads the rows the benches wrote (a row missing means that bench did not run).

export type BenchResults = Readonly<Record<string, unknown>>;

export interface AimRow {
  /** The issue's wording of the row. */
  readonly what: string;
  /** The result key the row reads. */
  readonly row: string;
  readonly now: number;
  /** The measure must be at most this. */
  readonly aim: number;
  readonly met: boolean;
  /** Where the aim is missed: the breakdown of the same run that shows what remains. */
  readonly remains?: string;
  /** The breakdown's numbers the remark is built from, by result key. */
  readonly breakdown?: Readonly<Record<string, number>>;
}

const REPLAY_RANDOM = 'replay random (1000000 operations)';
const REPLAY_STEADY = 'replay steady-state (2000000 operations)';
const LIVE_4K = 'live 4k full';
/** The live bench's timeline of one refresh, in order (see benchTimeline). */
const TIMELINE = [
  'stopped → first request sent, median ms',
  'first request sent → last answer before the panel message, median ms',
  'last answer → panel message posted, median ms',
] as const;

function num(results: BenchResults, key: string): number | undefined {
  const value = results[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The keys that exist among `keys`, with their values. */
function pick(results: BenchResults, keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of keys) {
    const value = num(results, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A replay row: the CLI against the reference, and without Node's start when that is what remains. */
function replayRow(results: BenchResults, label: string, what: string): AimRow | undefined {
  const row = `${label}: CLI / reference, min wall`;
  const now = num(results, row);
  if (now === undefined) return undefined;
  const met = now <= 1;
  if (met) return { what, row, now, aim: 1, met };
  const keys = [
    `${label}: CLI min ms`,
    `${label}: reference min ms`,
    `${label}: node start+exit ms`,
    `${label}: load ms`,
    `${label}: replay ms`,
  ];
  const breakdown = pick(results, [...keys, `${label}: in-process replay cold ms`, `${label}: in-process replay warm ms`]);
  const cli = breakdown[keys[0]!];
  const reference = breakdown[keys[1]!];
  const node = breakdown[keys[2]!];
  if (cli === undefined || reference === undefined || node === undefined) return { what, row, now, aim: 1, met, breakdown };
  const withoutNode = cli - node;
  const cold = breakdown[`${label}: in-process replay cold ms`];
  const warm = breakdown[`${label}: in-process replay warm ms`];
  const warmUp = (cold ?? 0) - (warm ?? 0);
  // Past Node's start, a CLI on Node also pays V8's compiling of its hot code (a second replay in
  // the same process runs without it): the replay's own speed is the warm one.
  const warmWords =
    warm === undefined
      ? ''
      : warm <= reference
        ? ` Warm (a second replay in one process), the replay takes ${warm} ms: faster than the reference, so the rest is V8 compiling it (${warmUp} ms).`
        : ` Even warm (a second replay in one process) the replay takes ${warm} ms: its compiled code is slower than the reference's (see the replay's parts).`;
  const remains =
    withoutNode <= reference
      ? `Node's own start and exit (node -e "", ${node} ms) is the rest: without it the CLI takes ${withoutNode} ms against the reference's ${reference} ms (${(withoutNode / reference).toFixed(2)}×). A CLI on Node cannot skip Node's start; of the replay's ${breakdown[keys[4]!] ?? '?'} ms, V8's warm-up (cold less warm in one process) is ${warmUp} ms.`
      : `Without Node's start and exit (${node} ms) the CLI still takes ${withoutNode} ms against the reference's ${reference} ms.${warmWords}`;
  return { what, row, now, aim: 1, met, remains, breakdown };
}

/** The live row: a refresh against one raw read of the heap, and the two floors it stands on. */
function liveRow(results: BenchResults): AimRow | undefined {
  const row = `${LIVE_4K}: stopped → panel message posted / raw 4 KiB reads, median of paired runs`;
  const now = num(results, row);
  if (now === undefined) return undefined;
  const what = 'live refresh of a 4 KiB heap / the raw read of the same bytes';
  const met = now <= 1.2;
  if (met) return { what, row, now, aim: 1.2, met };
  const same = `${LIVE_4K}: stopped → panel message posted / raw reads of the same requests (struct + heap at once), median of paired runs`;
  // The floor from the same paired runs when the run has it (the separate one is measured minutes later).
  const pairedFloor = `${LIVE_4K}: raw reads of the same requests / raw 4 KiB reads, median of paired runs`;
  const floor =
    num(results, pairedFloor) !== undefined
      ? pairedFloor
      : 'live 4k raw readMemory of struct + heap at once / of the heap alone, 1 request';
  const breakdown = pick(results, [
    same,
    floor,
    `${LIVE_4K}: panel refresh requests`,
    `${LIVE_4K}: stopped → panel message posted, host CPU per refresh ms`,
    `${LIVE_4K}: raw reads of the same requests, host CPU per read ms`,
    `${LIVE_4K}: stopped → panel message posted, median ms`,
    `${LIVE_4K}: raw reads of the same requests, median ms`,
    ...TIMELINE.map(part => `${LIVE_4K}: ${part}`),
  ]);
  const floorValue = breakdown[floor];
  const sameValue = breakdown[same];
  const [before, adapter, after] = TIMELINE.map(part => breakdown[`${LIVE_4K}: ${part}`]);
  const refresh = breakdown[`${LIVE_4K}: stopped → panel message posted, median ms`];
  const raw = breakdown[`${LIVE_4K}: raw reads of the same requests, median ms`];
  const timeline =
    before !== undefined && adapter !== undefined && after !== undefined && refresh !== undefined && raw !== undefined
      ? ` Of a refresh's ${refresh} ms (median), ${before} ms pass before its first request leaves, ${adapter} ms waiting for the adapter's answers (the same requests raw take ${raw} ms in all), and ${after} ms from the last answer to the panel's message.`
      : '';
  const remains =
    floorValue !== undefined && sameValue !== undefined
      ? `The struct's own request: this firmware's struct lies too far from its heap to share its read, and the two requests raw, with no refresh around them, cost ${floorValue}× the heap's alone. The refresh costs ${sameValue}× those same requests raw (${liveVerdict(floorValue, sameValue)}).${timeline}`
      : undefined;
  return { what, row, now, aim: 1.2, met, ...(remains ? { remains } : {}), breakdown };
}

/** Which of the live row's two factors misses its 1.2 aim on its own, or that only both together do. */
function liveVerdict(floor: number, host: number): string {
  if (floor >= 1.2) return 'the floor alone misses the aim';
  if (host >= 1.2) return "the host's own cost alone misses the aim";
  return `neither misses the aim alone; together, ${floor} × ${host} ≈ ${(floor * host).toFixed(2)}`;
}

function simpleRow(results: BenchResults, what: string, row: string, aim: number): AimRow | undefined {
  const now = num(results, row);
  return now === undefined ? undefined : { what, row, now, aim, met: now <= aim };
}

/** Issue 14's rows found in one run's results, in the issue's order. */
export function issue14Aims(results: BenchResults): AimRow[] {
  return [
    simpleRow(results, 'first paint of a 1M-leaf heap, cold, from posting (ms)', 'webviewFirstPaint1MTransferColdMs', 100),
    simpleRow(results, 'first paint, warm, from posting (ms)', 'webviewFirstPaint1MTransferWarmMs', 50),
    simpleRow(
      results,
      'one simulated operation on a 1M-leaf heap with 200k live allocations, host + webview, to the frame that shows it on the map (ms)',
      'simulatedOp1MToMapFrameMedianMs',
      16,
    ),
    replayRow(results, REPLAY_RANDOM, "`buddy-heap replay --json` time / native reference time, bench's 1M-op trace"),
    replayRow(results, REPLAY_STEADY, 'same, on the steady-state trace at 2M operations'),
    liveRow(results),
  ].filter((row): row is AimRow => row !== undefined);
}
