import { useId } from 'react';
import { graphql } from '../gql/index.js';
import type { PostingTimes_PostingTimesFragment } from '../gql/graphql.js';
import { formatNumber, formatPercent } from '../lib/format.js';
import { formatMultiple, hourName, weekdayName } from '../lib/insights-format.js';
import { EmptyState } from './states.js';

export const PostingTimesFragment = graphql(`
  fragment PostingTimes_postingTimes on PostingTimes {
    sampleSize
    bestWeekday {
      ...PostingTimes_slot @unmask
    }
    bestHour {
      ...PostingTimes_slot @unmask
    }
    byWeekday {
      ...PostingTimes_slot @unmask
    }
    byHour {
      ...PostingTimes_slot @unmask
    }
  }
`);

export const PostingSlotFragment = graphql(`
  fragment PostingTimes_slot on PostingSlot {
    slot
    videos
    averageViews
    averageEngagementRate
  }
`);

type Slot = PostingTimes_PostingTimesFragment['byWeekday'][number];

/** The server ranks only slots with at least this many videos (insights.service.ts). */
export const MIN_SLOT_VIDEOS = 3;

/** Mean engagement rate and views over every video of the slots (each slot weighted by size). */
export function overallAverages(slots: readonly Slot[]) {
  const videos = slots.reduce((sum, slot) => sum + slot.videos, 0);
  const rated = slots.filter((slot) => slot.averageEngagementRate !== null);
  const ratedVideos = rated.reduce((sum, slot) => sum + slot.videos, 0);
  return {
    views: videos
      ? slots.reduce((sum, slot) => sum + slot.averageViews * slot.videos, 0) / videos
      : 0,
    engagementRate: ratedVideos
      ? rated.reduce((sum, slot) => sum + slot.averageEngagementRate! * slot.videos, 0) /
        ratedVideos
      : null,
  };
}

function Highlight({
  label,
  name,
  slot,
  average,
  testId,
}: {
  label: string;
  name: string | null;
  slot: Slot | null | undefined;
  average: ReturnType<typeof overallAverages>;
  testId: string;
}) {
  if (!slot || !name) {
    return (
      <div className="insight-highlight" data-testid={testId}>
        <p className="insight-highlight-label">{label}</p>
        <p className="insight-highlight-value">—</p>
        <p className="insight-highlight-detail">
          No {label.toLowerCase().replace('best ', '')} has {MIN_SLOT_VIDEOS} videos yet.
        </p>
      </div>
    );
  }
  const rate = slot.averageEngagementRate;
  const ratio = rate !== null && average.engagementRate ? rate / average.engagementRate : null;
  const viewsRatio = average.views ? slot.averageViews / average.views : null;
  return (
    <div className="insight-highlight" data-testid={testId}>
      <p className="insight-highlight-label">{label}</p>
      <p className="insight-highlight-value">{name}</p>
      <p className="insight-highlight-detail">
        {formatPercent(rate)} engagement in the first 7 days
        {ratio !== null
          ? ` · ${formatMultiple(ratio)} your average (${formatPercent(average.engagementRate)})`
          : ''}
      </p>
      <p className="insight-highlight-detail">
        {formatNumber(Math.round(slot.averageViews))} views on average in the first 7 days
        {viewsRatio !== null ? ` (${formatMultiple(viewsRatio)} your average)` : ''} · from{' '}
        {formatNumber(slot.videos)} {slot.videos === 1 ? 'video' : 'videos'}
      </p>
    </div>
  );
}

function SlotTable({
  caption,
  slotLabel,
  slots,
  best,
  name,
}: {
  caption: string;
  slotLabel: string;
  slots: readonly Slot[];
  best: Slot | null | undefined;
  name: (slot: number) => string;
}) {
  const top = Math.max(0, ...slots.map((slot) => slot.averageEngagementRate ?? 0));
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="table slot-table">
        <thead>
          <tr>
            <th scope="col">{slotLabel}</th>
            <th scope="col">Engagement, 7 days</th>
            <th scope="col" className="num">
              Videos
            </th>
            <th scope="col" className="num">
              Avg views, 7 days
            </th>
          </tr>
        </thead>
        <tbody>
          {slots.map((slot) => {
            const few = slot.videos < MIN_SLOT_VIDEOS;
            const isBest = best?.slot === slot.slot;
            return (
              <tr key={slot.slot} className={few ? 'slot-few' : isBest ? 'slot-best' : undefined}>
                <th scope="row">
                  {name(slot.slot)}
                  {isBest ? <span className="slot-tag">Best</span> : null}
                </th>
                <td>
                  <span className="slot-rate">{formatPercent(slot.averageEngagementRate)}</span>
                  <span
                    className="slot-bar"
                    aria-hidden="true"
                    style={{
                      width: top ? `${((slot.averageEngagementRate ?? 0) / top) * 100}%` : 0,
                    }}
                  />
                </td>
                <td className="num">
                  {formatNumber(slot.videos)}
                  {few ? <span className="visually-hidden"> (too few to rank)</span> : null}
                </td>
                <td className="num">{formatNumber(Math.round(slot.averageViews))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Best weekday and hour to publish, with the averages and sample sizes behind them. */
export function PostingTimes({
  postingTimes,
}: {
  postingTimes: PostingTimes_PostingTimesFragment;
}) {
  const titleId = useId();
  const average = overallAverages(postingTimes.byWeekday);
  const { bestWeekday, bestHour } = postingTimes;
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card-title">
        Best time to publish
      </h2>
      {postingTimes.sampleSize === 0 ? (
        <EmptyState title="No videos to compare yet">
          <p className="muted">
            This needs videos first published in the range, at least 7 days ago.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="insight-lede muted">
            {formatNumber(postingTimes.sampleSize)} videos first published in the range (at least 7
            days ago), by when they went out in your time zone, ranked by their mean engagement rate
            over their first 7 days. A weekday or hour needs {MIN_SLOT_VIDEOS} videos to rank.
          </p>
          <div className="insight-highlights">
            <Highlight
              label="Best weekday"
              name={bestWeekday ? weekdayName(bestWeekday.slot) : null}
              slot={bestWeekday}
              average={average}
              testId="best-weekday"
            />
            <Highlight
              label="Best hour"
              name={bestHour ? hourName(bestHour.slot) : null}
              slot={bestHour}
              average={average}
              testId="best-hour"
            />
          </div>
          <h3 className="subheading">By weekday</h3>
          <SlotTable
            caption="By weekday"
            slotLabel="Weekday"
            slots={postingTimes.byWeekday}
            best={bestWeekday}
            name={weekdayName}
          />
          <details className="chart-table">
            <summary>By hour of the day</summary>
            <SlotTable
              caption="By hour of the day"
              slotLabel="Hour"
              slots={postingTimes.byHour}
              best={bestHour}
              name={hourName}
            />
          </details>
        </>
      )}
    </section>
  );
}
