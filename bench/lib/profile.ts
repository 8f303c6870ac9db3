import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as prettier from 'prettier';
import { root } from './proc.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** Where a frame's code lives: a package, Pulse's own source, Node's internals, or V8. */
function owner(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node internals';
  const src = /\/(src|tests)\/(.*)$/.exec(url);
  return src ? `pulse ${src[1]}/${src[2]!.split('/')[0]}` : url;
}

/** Self time per function and per package of every .cpuprofile in `dir`, printed and saved. */
export async function summarizeProfiles(
  dir: string,
  label: string,
  log: (line: string) => void,
  top = 25,
): Promise<void> {
  const files = (await readdir(dir).catch(() => [])).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) {
    log(`  no .cpuprofile in ${dir}`);
    return;
  }
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  // Inclusive time of Pulse's own functions: which of our code paths the library time serves.
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map<number, number>();
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      // A sample's duration is the delta to the next sample.
      const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
      self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + ms);
    }
    const parent = new Map<number, number>();
    for (const node of profile.nodes)
      for (const child of node.children ?? []) parent.set(child, node.id);
    for (const [id, ms] of self) {
      if (nodes.get(id)!.callFrame.functionName === '(idle)') continue;
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = nodes.get(at)!.callFrame;
        const file = frame.url.replace(/^file:\/\//, '').replace(/\?.*$/, '');
        const src = path.relative(root, file);
        if (!src.startsWith('src/')) continue;
        const key = `${frame.functionName || '(anonymous)'} ${src}:${frame.lineNumber + 1}`;
        if (seen.has(key)) continue;
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
      }
    }
    for (const [id, ms] of self) {
      const frame = nodes.get(id)!.callFrame;
      const name = frame.functionName || '(anonymous)';
      if (name === '(idle)') continue;
      const where = frame.url
        ? `${frame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '')}:${frame.lineNumber + 1}`
        : '';
      const key = `${name} ${where}`.trim();
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
      const who = owner(frame.url, name);
      byOwner.set(who, (byOwner.get(who) ?? 0) + ms);
      total += ms;
    }
  }
  const pct = (ms: number) => `${((ms / total) * 100).toFixed(1)} %`;
  const lines = [
    `# CPU profile: ${label}`,
    '',
    `${files.length} profile(s), ${(total / 1000).toFixed(1)} s of busy CPU (idle excluded).`,
    '',
    '## Self time by package',
    '',
    '| where | self | share |',
    '| --- | --- | --- |',
    ...[...byOwner.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([who, ms]) => `| ${who} | ${ms.toFixed(0)} ms | ${pct(ms)} |`),
    '',
    '## Pulse functions by inclusive time (what our code paths cost, libraries included)',
    '',
    '| function | inclusive | share |',
    '| --- | --- | --- |',
    ...[...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(
        ([key, ms]) => `| \`${key.replace(/\|/g, '\\|')}\` | ${ms.toFixed(0)} ms | ${pct(ms)} |`,
      ),
    '',
    `## Top ${top} functions by self time`,
    '',
    '| function | self | share |',
    '| --- | --- | --- |',
    ...[...byFunction.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([key, ms]) => `| \`${key.replace(/\|/g, '\\|')}\` | ${ms.toFixed(0)} ms | ${pct(ms)} |`,
      ),
  ];
  const text = lines.join('\n') + '\n';
  // Committed next to the results: formatted the way the repository's Prettier check wants.
  const file = path.join(dir, 'summary.md');
  const config = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(text, { ...config, parser: 'markdown' }));
  log(text);
}
