import { useEffect, useRef, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';
import { useSession } from '../auth/session-context.js';
import { NotificationBell } from './notification-bell.js';
import { ProgressBar } from './progress-bar.js';

const links = [
  { to: '/', label: 'Overview', end: true },
  { to: '/content', label: 'Content', end: false },
  { to: '/insights', label: 'Insights', end: false },
  { to: '/reports', label: 'Reports', end: false },
  { to: '/developer', label: 'Developer', end: false },
];

export function Layout({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const { credential } = useSession();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After client-side navigation, move focus to the new page so screen readers announce it
  // (filters change the query string only and keep focus where it is).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [pathname]);

  return (
    <div className="shell">
      <ProgressBar />
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="Pulse home">
          <span className="brand-mark" aria-hidden="true" />
          <span>Pulse</span>
        </NavLink>
        <nav aria-label="Main" className="nav">
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} end={link.end} className="nav-link">
                  {link.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          {credential?.kind === 'api-key' ? (
            <span className="muted key-hint" title="Signed in with an API key">
              {credential.apiKey.slice(0, 14)}…
            </span>
          ) : null}
          <NotificationBell />
          <button type="button" className="button button-small" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="page">
        {children}
      </main>
    </div>
  );
}
