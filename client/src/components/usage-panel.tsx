import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartContainer } from './chart-container.js';
import { graphql } from '../gql/index.js';
import type { UsagePanel_UsageFragment } from '../gql/graphql.js';
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../lib/format.js';
import { useThrottled } from '../lib/use-throttled.js';
import { EmptyState } from './states.js';
import { CURRENT_COLOR } from './trend-chart.js';
import { ScrollRegion } from './scroll-region.js';

export const UsagePanelFragment = graphql(`
  fragment UsagePanel_usage on Usage {
    from
    to
    totals {
      operations
      cost
      rejected
      rejectionRate
    }
    days {
      day
      operations
      rejected
    }
    quota {
      plan
      costLimit
      enforced
      perMinute {
        limit
        remaining
        resetAt
      }
      perDay {
        limit
        remaining
        resetAt
      }
    }
    credentials {
      credential
      kind
      name
      prefix
      totals {
        operations
        rejected
      }
    }
  }
`);

const REJECTED_COLOR = '#dc2626';

/** Operations per day over the last 30 days, per credential, and what is left of the quota. */
export function UsagePanel({ usage }: { usage: UsagePanel_UsageFragment }) {
  const days = useThrottled(usage.days, 1000);
  const data = days.map((day) => ({
    day: formatDate(day.day),
    accepted: day.operations - day.rejected,
    rejected: day.rejected,
  }));
  const { quota } = usage;
  return (
    <section className="card" aria-labelledby="usage-title">
      <div className="card-header">
        <h2 id="usage-title" className="card-title">
          Usage
        </h2>
        <span className="muted">
          {formatDate(usage.from)} – {formatDate(usage.to)} (UTC days)
        </span>
      </div>
      <dl className="stat-grid">
        <div>
          <dt>Operations</dt>
          <dd>{formatNumber(usage.totals.operations)}</dd>
        </div>
        <div>
          <dt>Refused</dt>
          <dd>
            {formatNumber(usage.totals.rejected)} ({formatPercent(usage.totals.rejectionRate)})
          </dd>
        </div>
        <div>
          <dt>This minute ({quota.plan.toLowerCase()} plan)</dt>
          <dd>
            {formatNumber(quota.perMinute.remaining)} of {formatNumber(quota.perMinute.limit)} left
          </dd>
        </div>
        <div>
          <dt>Today</dt>
          <dd>
            {quota.perDay
              ? `${formatNumber(quota.perDay.remaining)} of ${formatNumber(quota.perDay.limit)} left`
              : 'No daily cap'}
          </dd>
        </div>
      </dl>
      <p className="muted small">
        Largest query cost: {formatNumber(quota.costLimit)}
        {quota.perDay ? ` · daily quota resets ${formatDateTime(quota.perDay.resetAt)}` : ''}
        {quota.enforced ? '' : ' · limits are not enforced on this server'}
      </p>
      {usage.totals.operations === 0 ? (
        <EmptyState title="No API calls in these 30 days" />
      ) : (
        <>
          <div className="chart chart-small" role="img" aria-label="Operations per day bar chart">
            <ChartContainer>
              <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#94a3b833" />
                <XAxis dataKey="day" tickLine={false} minTickGap={24} fontSize={12} />
                <YAxis width={44} fontSize={12} tickLine={false} axisLine={false} />
                <Tooltip />
                <Bar
                  dataKey="accepted"
                  name="Operations"
                  stackId="ops"
                  fill={CURRENT_COLOR}
                  isAnimationActive={false}
                />
                <Bar
                  dataKey="rejected"
                  name="Refused"
                  stackId="ops"
                  fill={REJECTED_COLOR}
                  isAnimationActive={false}
                />
              </BarChart>
            </ChartContainer>
          </div>
          <ScrollRegion label="Usage per credential table">
            <table className="table">
              <caption className="visually-hidden">Usage per credential</caption>
              <thead>
                <tr>
                  <th scope="col">Credential</th>
                  <th scope="col" className="num">
                    Operations
                  </th>
                  <th scope="col" className="num">
                    Refused
                  </th>
                </tr>
              </thead>
              <tbody>
                {usage.credentials.map((credential) => (
                  <tr key={credential.credential}>
                    <th scope="row">
                      {credential.name ?? 'Deleted'}{' '}
                      <span className="muted">
                        {credential.kind === 'API_KEY' ? (credential.prefix ?? 'key') : 'app'}
                      </span>
                    </th>
                    <td className="num">{formatNumber(credential.totals.operations)}</td>
                    <td className="num">{formatNumber(credential.totals.rejected)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </section>
  );
}
