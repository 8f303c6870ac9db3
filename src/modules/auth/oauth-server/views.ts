import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../../../lib/escape.js';
import { SCOPE_DESCRIPTIONS, type Scope } from '../scopes.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;background:#f5f5f7;color:#1d1d1f;margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.35rem;margin:0 0 1rem}label{display:block;margin:.75rem 0 .25rem}
input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;border:1px solid #ccc;border-radius:8px;font:inherit}
button{font:inherit;padding:.6rem 1.2rem;border-radius:8px;border:0;background:#4f46e5;color:#fff;cursor:pointer;margin-top:1rem}
button.secondary{background:#e5e5ea;color:#1d1d1f}ul{padding-left:0;list-style:none}li{margin:.5rem 0}
.scope code{font-size:.85em;background:#f0f0f5;padding:.1rem .3rem;border-radius:4px}
.error{color:#b00020}.muted{color:#6e6e73;font-size:.9rem}hr{border:0;border-top:1px solid #eee;margin:1.5rem 0}`;

/** Keep the pages out of frames, caches and Referers; no scripts at all. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

export function renderPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Pulse</title>
<style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function sendPage(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...PAGE_HEADERS });
  res.end(renderPage(title, body));
}

export function loginPage(options: {
  uid: string;
  appName: string;
  email?: string;
  error?: string;
  demo: boolean;
}): string {
  const action = `/oauth/interaction/${encodeURIComponent(options.uid)}`;
  return `<h1>Sign in to Pulse</h1>
<p class="muted"><strong>${escapeHtml(options.appName)}</strong> wants to access your Pulse account.</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${action}/login" autocomplete="on">
<label for="email">Email</label>
<input id="email" type="email" name="email" required autofocus value="${escapeHtml(options.email)}">
<label for="password">Password</label>
<input id="password" type="password" name="password" required autocomplete="current-password">
<button type="submit">Sign in</button>
</form>
${
  options.demo
    ? `<hr><form method="post" action="${action}/login"><input type="hidden" name="demo" value="1">
<button type="submit" class="secondary">Continue as the demo user</button>
<p class="muted">Demo mode only: signs you in as the demo creator without a password.</p></form>`
    : ''
}
<form method="post" action="${action}/abort"><button type="submit" class="secondary">Cancel</button></form>`;
}

export function consentPage(options: {
  uid: string;
  app: { name: string; description: string; homepageUrl: string | null };
  email: string;
  scopes: readonly Scope[];
}): string {
  const action = `/oauth/interaction/${encodeURIComponent(options.uid)}`;
  const { app } = options;
  const homepage = app.homepageUrl
    ? ` <a href="${escapeHtml(app.homepageUrl)}" rel="noopener noreferrer nofollow">${escapeHtml(app.homepageUrl)}</a>`
    : '';
  const items = options.scopes
    .map(
      (
        scope,
      ) => `<li class="scope"><label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" checked>
${escapeHtml(SCOPE_DESCRIPTIONS[scope])} <code>${escapeHtml(scope)}</code></label></li>`,
    )
    .join('\n');
  return `<h1>Allow ${escapeHtml(app.name)} to use your Pulse account?</h1>
<p class="muted">Signed in as ${escapeHtml(options.email)}.</p>
${app.description ? `<p>${escapeHtml(app.description)}</p>` : ''}${homepage ? `<p class="muted">${homepage}</p>` : ''}
<form method="post" action="${action}/confirm">
<p>It asks to:</p>
<ul>${items || '<li>Only confirm who you are.</li>'}</ul>
<button type="submit">Allow</button>
</form>
<form method="post" action="${action}/abort"><button type="submit" class="secondary">Deny</button></form>
<p class="muted">You can remove its access at any time (uninstallApp, or the dashboard's app list).</p>`;
}

export function errorPage(message: string): string {
  return `<h1>Something went wrong</h1><p class="error">${escapeHtml(message)}</p>
<p class="muted">Start again from the app you were signing in to.</p>`;
}
