import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as prettier from 'prettier';
import type { MachineInfo } from './machine.js';
import { root } from './proc.js';
import { round } from './stats.js';

/** One line of the results table: Pulse's median, optionally a peer's and their ratio. */
export interface Row {
  metric: string;
  unit: string;
  pulse: number;
  peer?: { name: string; value: number };
  /** pulse / peer, or peer / pulse for "lower is better" metrics, so > 1 means Pulse wins. */
  ratio?: number;
  target?: string;
  /** null: no target, or not measurable in this mode. */
  met?: boolean | null;
}

export interface ScenarioResult {
  id: string;
  title: string;
  profile: string;
  ok: boolean;
  error?: string;
  rows: Row[];
  notes: string[];
  /** Every run's numbers, for the JSON. */
  runs: unknown;
  seconds: number;
}

export interface Report {
  generatedAt: string;
  mode: 'quick' | 'full';
  command: string;
  machine: MachineInfo;
  scenarios: ScenarioResult[];
  failures: string[];
}

export const RESULTS_DIR = path.join(root, 'bench/results');

const fmt = (value: number | undefined, unit = '') => {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${round(value, digits).toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`;
};

/** The rows that carry a target: what the README shows. */
export function targetsTable(report: Report): string[] {
  const lines = [
    '| scenario | db | metric | Pulse | peer | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const scenario of report.scenarios) {
    if (!scenario.ok) {
      lines.push(`| ${scenario.id} | ${scenario.profile} | could not run | — | — | — | — | ✗ |`);
      continue;
    }
    for (const row of scenario.rows) {
      if (!row.target) continue;
      const ratio =
        row.ratio === undefined || !Number.isFinite(row.ratio) ? '—' : `${fmt(row.ratio)}×`;
      lines.push(
        `| ${scenario.id} | ${scenario.profile} | ${row.metric} | ${fmt(row.pulse, row.unit)} | ${row.peer ? `${row.peer.name} ${fmt(row.peer.value, row.unit)}` : '—'} | ${ratio} | ${row.target} | ${row.met === true ? '✓' : row.met === false ? '✗' : '—'} |`,
      );
    }
  }
  return lines;
}

export function markdown(report: Report): string {
  const m = report.machine;
  const lines = [
    `# Pulse benchmark results (${report.mode === 'quick' ? 'quick run: short, indicative only' : 'full run'})`,
    '',
    `Generated ${report.generatedAt} by \`${report.command}\`.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres ?? 'n/a'}; commit ${m.commit}${m.dirty ? ' (with uncommitted changes)' : ''}; load average at start ${m.loadAverage.join(' / ')}.`,
    '',
    'Each value is the median of the runs; Pulse and its peer run alternately on the same machine. Ratio > 1 means Pulse does better than the peer.',
    '',
    '## Targets',
    '',
    ...targetsTable(report),
    '',
    '## Every measurement',
    '',
    '| scenario | db | metric | Pulse | peer | peer value | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const scenario of report.scenarios) {
    if (!scenario.ok) {
      lines.push(
        `| ${scenario.id} ${scenario.title} | ${scenario.profile} | **could not run** | — | — | — | — | — | ✗ |`,
      );
      continue;
    }
    for (const row of scenario.rows) {
      lines.push(
        `| ${scenario.id} ${scenario.title} | ${scenario.profile} | ${row.metric} | ${fmt(row.pulse, row.unit)} | ${row.peer?.name ?? '—'} | ${fmt(row.peer?.value, row.unit)} | ${row.ratio === undefined || !Number.isFinite(row.ratio) ? '—' : `${fmt(row.ratio)}×`} | ${row.target ?? '—'} | ${row.met === true ? '✓' : row.met === false ? '✗' : '—'} |`,
      );
    }
  }
  const notes = report.scenarios.flatMap((s) =>
    [...(s.error ? [`could not run: ${s.error}`] : []), ...s.notes].map(
      (note) => `- **${s.id} (${s.profile})**: ${note}`,
    ),
  );
  if (notes.length) lines.push('', '## Notes', '', ...notes);
  if (report.failures.length) {
    lines.push('', '## Failures', '', ...report.failures.map((failure) => `- ${failure}`));
  }
  return lines.join('\n') + '\n';
}

/** Writes <basename>.json and .md (latest or quick), formatted as the repository's Prettier check expects. */
export async function writeReport(report: Report, basename = 'latest'): Promise<string[]> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const config = (await prettier.resolveConfig(path.join(RESULTS_DIR, 'x.md'))) ?? {};
  const json = await prettier.format(JSON.stringify(report, null, 2), {
    ...config,
    parser: 'json',
  });
  const md = await prettier.format(markdown(report), { ...config, parser: 'markdown' });
  const files = [
    path.join(RESULTS_DIR, `${basename}.json`),
    path.join(RESULTS_DIR, `${basename}.md`),
  ];
  await writeFile(files[0]!, json);
  await writeFile(files[1]!, md);
  return files;
}
