import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers/process.js';

const README = join(root, 'README.md');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats -1, -2. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The headings' text, for prose that names a section ("see the README, “Limits”"). */
function headingsOf(markdown: string): Set<string> {
  const headings = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.+?)\s*$/.exec(line);
    if (heading) headings.add(heading[1]!);
  }
  return headings;
}

/** Markdown links outside code: `[text](target)`, images included. */
function linksOf(markdown: string): string[] {
  const links: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push(match[1]!);
  }
  return links;
}

function filesUnder(directory: string, pattern: RegExp): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === 'gql' ? [] : filesUnder(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

const readme = readFileSync(README, 'utf8');
const anchors = anchorsOf(readme);

describe('links in the README', () => {
  const links = linksOf(readme);

  it('finds the links (the parser works)', () => {
    expect(links).toContain('#dashboards');
    expect(links).toContain('schema/schema.graphql');
  });

  it('every #anchor names a heading of the README', () => {
    const broken = links.filter((link) => link.startsWith('#') && !anchors.has(link.slice(1)));
    expect(broken).toEqual([]);
  });

  it('every relative link names a file of the repository (and an existing heading in it)', () => {
    const broken = links
      .filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith('#'))
      .filter((link) => {
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = join(dirname(README), decodeURIComponent(path));
        if (!existsSync(target)) return true;
        if (!anchor || !target.endsWith('.md')) return false;
        return !anchorsOf(readFileSync(target, 'utf8')).has(anchor);
      });
    expect(broken).toEqual([]);
  });
});

describe('README sections named by the app and the server', () => {
  const headings = headingsOf(readme);
  const sources = [
    ...filesUnder(join(root, 'client/src'), /\.tsx?$/),
    ...filesUnder(join(root, 'client/examples'), /\.ts$/),
    ...filesUnder(join(root, 'src'), /\.ts$/),
  ];
  // "see the README, “For developers”", "README's “Limits” section", "(README "Limits")": the
  // text may wrap over lines (JSX, comments).
  const mention = /README(?:['’]s|,)?\s+(?:\*\s+)?[“"]([^”"]+)[”"]/g;
  const mentions = sources.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(mention)].map((match) => ({
      file: relative(root, file),
      section: match[1]!.replace(/\s+/g, ' ').trim(),
    })),
  );

  it('finds the mentions (the scan works)', () => {
    expect(mentions.length).toBeGreaterThan(0);
  });

  it('every section the app or a message names exists', () => {
    expect(mentions.filter(({ section }) => !headings.has(section))).toEqual([]);
  });

  it('every README#anchor link in the app names a heading', () => {
    const broken = sources.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/README\.md#([\w-]+)/g)]
        .filter((match) => !anchors.has(match[1]!))
        .map((match) => `${relative(root, file)}: ${match[0]}`),
    );
    expect(broken).toEqual([]);
  });
});
