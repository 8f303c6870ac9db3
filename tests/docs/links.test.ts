import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/process.js';

const README = join(root, 'README.md');
const DOCS = join(root, 'docs');

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

/** The README and every page of docs/ (the reference it links to). */
const pages = [README, ...filesUnder(DOCS, /\.md$/).sort()];
const text = new Map(pages.map((page) => [page, readFileSync(page, 'utf8')]));
const anchorsIn = new Map(pages.map((page) => [page, anchorsOf(text.get(page)!)]));

const isExternal = (link: string) => /^[a-z][a-z0-9+.-]*:/i.test(link);

/** Links of `page` that point nowhere: a missing file, or a missing heading in a Markdown file. */
function brokenLinks(page: string): string[] {
  return linksOf(text.get(page)!)
    .filter((link) => !isExternal(link))
    .filter((link) => {
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path ? join(dirname(page), decodeURIComponent(path)) : page;
      if (!existsSync(target)) return true;
      if (!anchor || !target.endsWith('.md')) return false;
      return !(anchorsIn.get(target) ?? anchorsOf(readFileSync(target, 'utf8'))).has(anchor);
    });
}

describe('links in the README and docs/', () => {
  it('finds the pages and the links (the parser works)', () => {
    expect(pages.map((page) => relative(root, page))).toContain('docs/auth.md');
    const links = linksOf(readme);
    expect(links).toContain('docs/dashboards.md');
    expect(links).toContain('schema/schema.graphql');
    expect(linksOf(text.get(join(DOCS, 'auth.md'))!)).toContain('#oauth-apps-the-app-marketplace');
  });

  it.each(pages.map((page) => [relative(root, page), page]))(
    '%s: every relative link names a file of the repository, and every #anchor a heading in it',
    (_, page) => {
      expect(brokenLinks(page)).toEqual([]);
    },
  );

  it('the README links every page of docs/', () => {
    const linked = new Set(
      linksOf(readme)
        .filter((link) => !isExternal(link))
        .map((link) => join(root, decodeURIComponent(link.split('#')[0]!))),
    );
    expect(pages.filter((page) => page !== README && !linked.has(page))).toEqual([]);
  });
});

describe('README and docs/ sections named by the app and the server', () => {
  // A section the code names may have moved from the README to docs/: it must exist in one of them.
  const headings = new Set(pages.flatMap((page) => [...headingsOf(text.get(page)!)]));
  const sources = [
    ...filesUnder(join(root, 'client/src'), /\.tsx?$/),
    ...filesUnder(join(root, 'client/examples'), /\.ts$/),
    ...filesUnder(join(root, 'src'), /\.ts$/),
  ];
  // "see docs/auth.md, “OAuth apps”", "README's “Limits” section", "(README "Limits")": the
  // text may wrap over lines (JSX, comments).
  const mention = /(?:README|docs\/[\w-]+\.md)(?:['’]s|,)?\s+(?:\*\s+)?[“"]([^”"]+)[”"]/g;
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

  it('every docs/ page (and #anchor) the app or a message names exists', () => {
    const broken = sources.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bdocs\/([\w-]+\.md)(?:#([\w-]+))?/g)]
        .filter(([, name, anchor]) => {
          const page = join(DOCS, name!);
          if (!existsSync(page)) return true;
          return anchor !== undefined && !anchorsOf(readFileSync(page, 'utf8')).has(anchor);
        })
        .map((match) => `${relative(root, file)}: ${match[0]}`),
    );
    expect(broken).toEqual([]);
  });
});
