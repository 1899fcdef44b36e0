// Named moments of the panel's work (message taken, validated, applied, map painted, sections
// drawn), for the benches' breakdowns and the browser's performance tools. The browser keeps every
// mark for the page's life; a panel open for a day of debugging takes thousands of messages, so
// only the latest of each name is kept.

export type TimingMarkName = 'message' | 'validated' | 'applied' | 'painted' | 'sections';

export function timingMark(name: TimingMarkName): void {
  const full = `buddy-heap:${name}`;
  performance.clearMarks(full);
  performance.mark(full);
}
