import type { FragmentType } from '@apollo/client';
import { useFragment } from '@apollo/client/react';
import { graphql } from '../gql/index.js';
import type { InstalledApp_InstallFragment } from '../gql/graphql.js';
import { formatDate, formatNumber } from '../lib/format.js';
import { SCOPE_LABELS } from '../lib/scopes.js';
import { EmptyState } from './states.js';
import { ScrollRegion } from './scroll-region.js';

export const AppRowFragment = graphql(`
  fragment AppRow_app on App {
    id
    name
    status
    clientId
    installCount
  }
`);

export const InstalledAppFragment = graphql(`
  fragment InstalledApp_install on AppInstall {
    installedAt
    scopes
    app {
      id
      name
    }
  }
`);

const STATUS = { APPROVED: 'Approved', PENDING: 'Pending review', REJECTED: 'Rejected' } as const;

function AppRow({ app }: { app: FragmentType<typeof AppRowFragment> }) {
  const { data, complete } = useFragment({ fragment: AppRowFragment, from: app });
  if (!complete) return null;
  return (
    <tr>
      <th scope="row">{data.name}</th>
      <td>{STATUS[data.status]}</td>
      <td>
        <code>{data.clientId}</code>
      </td>
      <td className="num">{formatNumber(data.installCount)}</td>
    </tr>
  );
}

/** OAuth apps you registered, and apps you let act for you. */
export function AppsSection({
  apps,
  installs,
}: {
  apps: readonly (FragmentType<typeof AppRowFragment> & { id: string })[];
  installs: readonly InstalledApp_InstallFragment[];
}) {
  return (
    <section className="card" aria-labelledby="apps-title">
      <h2 id="apps-title" className="card-title">
        Apps
      </h2>
      <h3 className="subheading">Your OAuth apps</h3>
      {apps.length === 0 ? (
        <EmptyState title="You have not registered an app">
          <p>
            Register one with the <code>registerApp</code> mutation (see docs/auth.md, “OAuth apps
            (the app marketplace)”).
          </p>
        </EmptyState>
      ) : (
        <ScrollRegion label="Your OAuth apps table">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">Status</th>
                <th scope="col">Client id</th>
                <th scope="col" className="num">
                  Installs
                </th>
              </tr>
            </thead>
            <tbody>
              {apps.map((app) => (
                <AppRow key={app.id} app={app} />
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <h3 className="subheading">Apps with access to your account</h3>
      {installs.length === 0 ? (
        <EmptyState title="No app has access to your account" />
      ) : (
        <ul className="plain-list">
          {installs.map((install) => (
            <li key={install.app.id}>
              <strong>{install.app.name}</strong> since {formatDate(install.installedAt)}:{' '}
              <span className="scope-list">
                {install.scopes.map((scope) => (
                  <code key={scope}>{SCOPE_LABELS[scope]}</code>
                ))}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
