// Where the repository and the e2e build outputs are, wherever the compiled test runs from
// (out/test/e2e/... after esbuild's transpile, or the source tree).
import * as fs from 'node:fs';
import * as path from 'node:path';

let cachedRoot: string | undefined;

/** The checkout's root: the nearest folder up from here whose package.json is ours. */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'buddy-heap-debugger') {
      return (cachedRoot = dir);
    }
    if (path.dirname(dir) === dir) throw new Error(`no buddy-heap-debugger package.json above ${__dirname}`);
  }
}

/** Target sources (never the transpiled copy: out/ holds no .c or .rs files). */
export function targetSource(...parts: string[]): string {
  return path.join(repoRoot(), 'test', 'e2e', 'targets', ...parts);
}

/** Build outputs live under .cache/ (git-ignored), one folder per target variant. */
export function buildDir(name: string): string {
  const dir = path.join(repoRoot(), '.cache', 'e2e-targets', name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The cdt-gdb-adapter entry scripts (spawned with node: its install script never ran). */
export function adapterEntry(kind: 'target' | 'native'): string {
  return path.join(repoRoot(), 'node_modules', 'cdt-gdb-adapter', 'dist', kind === 'target' ? 'debugTargetAdapter.js' : 'debugAdapter.js');
}
