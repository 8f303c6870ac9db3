import type { FragmentType } from '@apollo/client';
import { useFragment } from '@apollo/client/react';
import { graphql } from '../gql/index.js';
import { StatusBadge } from './status-badge.js';

export const ProcessingStatusFragment = graphql(`
  fragment ProcessingStatus_video on Video {
    id
    status
    processingProgress
  }
`);

const explanations = {
  DRAFT: 'Created; not processed or published yet.',
  PROCESSING: 'The media is being processed.',
  READY: 'Processed and ready to publish.',
  PUBLISHED: 'Live on at least one platform.',
  FAILED: 'Processing failed.',
} as const;

export function ProcessingStatus({
  video,
}: {
  video: FragmentType<typeof ProcessingStatusFragment>;
}) {
  const { data, complete } = useFragment({ fragment: ProcessingStatusFragment, from: video });
  if (!complete) return null;
  return (
    <section className="card" aria-labelledby="processing-title">
      <h2 id="processing-title" className="card-title">
        Status
      </h2>
      <p className="status-line">
        <StatusBadge status={data.status} /> <span>{explanations[data.status]}</span>
      </p>
      {data.status === 'PROCESSING' ? (
        <div className="progress-row">
          <progress
            max={100}
            value={data.processingProgress}
            aria-label="Processing progress"
            aria-valuetext={`${data.processingProgress} %`}
          />
          <span aria-live="polite">{data.processingProgress} %</span>
        </div>
      ) : null}
    </section>
  );
}
