import { graphql } from '../../gql/index.js';

// Saved reports and runs have ids, so every answer below lands on the same cached objects: a
// save, a pause or a live run update shows in the list and the editor at once. The fragments
// are unmasked where they are spread: the page passes plain data down.

export const RunFieldsFragment = graphql(`
  fragment RunFields on ReportRun {
    id
    status
    progress
    trigger
    queuedAt
    startedAt
    finishedAt
    rows
    error
    deadLettered
    attempts
    startDate
    endDate
    exports {
      id
      format
      status
      fileName
      downloadUrl
      bytes
    }
  }
`);

export const ReportSummaryFragment = graphql(`
  fragment ReportSummary on Report {
    id
    name
    kind
    nextRunAt
    schedule {
      cron
      timezone
      paused
      description
    }
    lastRun {
      id
      status
      progress
      finishedAt
      queuedAt
    }
  }
`);

export const ReportFieldsFragment = graphql(`
  fragment ReportFields on Report {
    ...ReportSummary @unmask
    description
    formats
    recipients
    skipIfEmpty
    updatedAt
    definition {
      metrics
      dimensions
      compare
      limit
      timezone
      orderBy {
        field
        direction
      }
      filters {
        field
        operator
        value
        values
      }
      range {
        preset
        startDate
        endDate
        from
        to
      }
    }
  }
`);

export const ReportsPageQuery = graphql(`
  query ReportsPage {
    me {
      id
      timezone
    }
    reports(first: 100) {
      totalCount
      edges {
        node {
          ...ReportSummary @unmask
        }
      }
    }
  }
`);

export const ReportDetailQuery = graphql(`
  query ReportDetail($id: ID!, $runs: Int!) {
    report(id: $id) {
      ...ReportFields @unmask
      runs(first: $runs) {
        edges {
          node {
            ...RunFields @unmask
          }
        }
      }
    }
  }
`);

export const CreateReportMutation = graphql(`
  mutation CreateReport($input: CreateReportInput!) {
    createReport(input: $input) {
      report {
        ...ReportFields @unmask
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const UpdateReportMutation = graphql(`
  mutation UpdateReport($input: UpdateReportInput!) {
    updateReport(input: $input) {
      report {
        ...ReportFields @unmask
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const DeleteReportMutation = graphql(`
  mutation DeleteReport($input: DeleteReportInput!) {
    deleteReport(input: $input) {
      deletedReportId
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const PauseReportScheduleMutation = graphql(`
  mutation PauseReportSchedule($input: PauseReportScheduleInput!) {
    pauseReportSchedule(input: $input) {
      report {
        id
        nextRunAt
        schedule {
          cron
          timezone
          paused
          description
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const ResumeReportScheduleMutation = graphql(`
  mutation ResumeReportSchedule($input: ResumeReportScheduleInput!) {
    resumeReportSchedule(input: $input) {
      report {
        id
        nextRunAt
        schedule {
          cron
          timezone
          paused
          description
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const RunReportMutation = graphql(`
  mutation RunReport($id: ID!, $formats: [ExportFormat!]) {
    runReport(id: $id, formats: $formats) {
      run {
        ...RunFields @unmask
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const ReportRunLiveSubscription = graphql(`
  subscription ReportRunLive($id: ID!) {
    reportRunUpdated(id: $id) {
      ...RunFields @unmask
    }
  }
`);
