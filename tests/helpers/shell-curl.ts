import { execFileSync } from 'node:child_process';

export interface CurlCall {
  url: string;
  init: { method: string; headers: Record<string, string>; body?: string };
}

/**
 * Runs shell text as bash would (quoting, `$VAR` splicing, `export`, line continuations), with
 * `curl` replaced by a function that reports its arguments, and turns each curl call into a
 * fetch request: the commands a page shows are run verbatim, without needing curl installed.
 * Only the flags the dashboards print are understood; any other one fails the test.
 */
export function curlCalls(script: string, env: Record<string, string> = {}): CurlCall[] {
  const output = execFileSync(
    'bash',
    [
      '--norc',
      '--noprofile',
      '-c',
      `set -e\ncurl() { printf '%s\\0' "$@"; printf '\\1\\0'; }\n${script}`,
    ],
    { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' },
  );
  const calls: string[][] = [[]];
  for (const arg of output.split('\0').slice(0, -1)) {
    if (arg === '\u0001') calls.push([]);
    else calls[calls.length - 1]!.push(arg);
  }
  return calls.filter((args) => args.length).map(toFetch);
}

function toFetch(args: string[]): CurlCall {
  let url: string | undefined;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '-s') continue;
    if (arg === '-H') {
      const header = args[++index]!;
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (arg === '-d') {
      body = args[++index]!;
      // curl -d sends form-encoded unless told otherwise; the commands always say JSON.
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (!arg.startsWith('-') && url === undefined) {
      url = arg;
    } else {
      throw new Error(`curl flag not understood: ${arg}`);
    }
  }
  if (!url) throw new Error(`curl without a URL: ${args.join(' ')}`);
  return {
    url,
    init: { method: body === undefined ? 'GET' : 'POST', headers, ...(body ? { body } : {}) },
  };
}
