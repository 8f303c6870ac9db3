/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  subscription WatchVideoExample($id: ID!) {\n    videoViewsUpdated(videoId: $id, minIntervalMs: 1000) {\n      views\n      delta\n      viewsPerMinute\n      at\n      video {\n        id\n        title\n      }\n    }\n  }\n": typeof types.WatchVideoExampleDocument,
    "\n  query SignInCheck {\n    me {\n      id\n      name\n    }\n  }\n": typeof types.SignInCheckDocument,
    "\n  fragment ApiKeyRow_apiKey on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    status\n    lastUsedAt\n    createdAt\n    previousSecretExpiresAt\n  }\n": typeof types.ApiKeyRow_ApiKeyFragmentDoc,
    "\n  fragment AppRow_app on App {\n    id\n    name\n    status\n    clientId\n    installCount\n  }\n": typeof types.AppRow_AppFragmentDoc,
    "\n  fragment InstalledApp_install on AppInstall {\n    installedAt\n    scopes\n    app {\n      id\n      name\n    }\n  }\n": typeof types.InstalledApp_InstallFragmentDoc,
    "\n  subscription OverviewLive {\n    analyticsUpdated(intervalMs: 2000) {\n      at\n      viewsToday {\n        value\n        previous\n        changePct\n        trend\n      }\n      viewsLastMinute {\n        value\n      }\n    }\n  }\n": typeof types.OverviewLiveDocument,
    "\n  fragment MetricCards_analytics on Analytics {\n    totals {\n      views {\n        value\n        previous\n        changePct\n        trend\n      }\n      engagementRate {\n        value\n        previous\n        changePct\n        trend\n      }\n      current {\n        likes\n        comments\n        shares\n      }\n      previous {\n        likes\n        comments\n        shares\n      }\n    }\n    growth {\n      platform\n      startFollowers\n      endFollowers\n    }\n  }\n": typeof types.MetricCards_AnalyticsFragmentDoc,
    "\n  fragment PlatformComparison_platform on PlatformBreakdown {\n    platform\n    share(metric: VIEWS)\n    views: metric(metric: VIEWS) {\n      value\n      previous\n      changePct\n      trend\n    }\n    totals {\n      views\n    }\n  }\n": typeof types.PlatformComparison_PlatformFragmentDoc,
    "\n  fragment PlatformStats_video on Video {\n    id\n    publications {\n      id\n      platform\n      url\n      publishedAt\n      channel {\n        id\n        handle\n      }\n      stats {\n        views\n        likes\n        comments\n        shares\n        engagementRate\n        ctr\n      }\n    }\n  }\n": typeof types.PlatformStats_VideoFragmentDoc,
    "\n  fragment ProcessingStatus_video on Video {\n    id\n    status\n    processingProgress\n  }\n": typeof types.ProcessingStatus_VideoFragmentDoc,
    "\n  fragment TopContentTable_topVideo on TopVideo {\n    rank\n    value\n    comparison {\n      value\n      previous\n      changePct\n      trend\n    }\n    totals {\n      views\n      likes\n      comments\n      shares\n      engagementRate\n    }\n    video {\n      id\n      title\n    }\n  }\n": typeof types.TopContentTable_TopVideoFragmentDoc,
    "\n  fragment TrendChart_bucket on SeriesBucket {\n    label\n    start\n    end\n    values {\n      value\n      previous\n    }\n  }\n": typeof types.TrendChart_BucketFragmentDoc,
    "\n  fragment UsagePanel_usage on Usage {\n    from\n    to\n    totals {\n      operations\n      cost\n      rejected\n      rejectionRate\n    }\n    days {\n      day\n      operations\n      rejected\n    }\n    quota {\n      plan\n      costLimit\n      enforced\n      perMinute {\n        limit\n        remaining\n        resetAt\n      }\n      perDay {\n        limit\n        remaining\n        resetAt\n      }\n    }\n    credentials {\n      credential\n      kind\n      name\n      prefix\n      totals {\n        operations\n        rejected\n      }\n    }\n  }\n": typeof types.UsagePanel_UsageFragmentDoc,
    "\n  fragment VideoRow_video on Video {\n    id\n    title\n    status\n    publishedAt\n    tags\n    publications {\n      id\n      platform\n    }\n    stats {\n      views\n      likes\n      engagementRate\n    }\n  }\n": typeof types.VideoRow_VideoFragmentDoc,
    "\n  fragment VideoTotals_video on Video {\n    id\n    stats {\n      views\n      likes\n      comments\n      shares\n      saves\n      engagementRate\n      ctr\n      watchTimeSeconds\n    }\n  }\n": typeof types.VideoTotals_VideoFragmentDoc,
    "\n  query ContentPage($first: Int!, $after: String, $filter: VideoFilter, $orderBy: VideoOrder) {\n    videos(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...VideoRow_video\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ContentPageDocument,
    "\n  query DeveloperPage {\n    me {\n      id\n      email\n      plan\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_apiKey\n    }\n    myApps {\n      id\n      ...AppRow_app\n    }\n    installedApps {\n      ...InstalledApp_install @unmask\n    }\n    usage {\n      ...UsagePanel_usage @unmask\n    }\n  }\n": typeof types.DeveloperPageDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RotateApiKey($id: ID!) {\n    rotateApiKey(input: { id: $id }) {\n      secret\n      apiKey {\n        id\n        name\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RotateApiKeyDocument,
    "\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        ...ApiKeyRow_apiKey\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.DisableApiKeyDocument,
    "\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        ...ApiKeyRow_apiKey\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.EnableApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(input: { id: $id }) {\n      apiKey {\n        id\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  query OverviewPage(\n    $range: AnalyticsRangeInput\n    $compare: AnalyticsComparison!\n    $filter: AnalyticsFilterInput\n    $interval: AnalyticsInterval!\n    $metric: AnalyticsMetric!\n    $topMetric: AnalyticsMetric!\n  ) {\n    analytics(range: $range, compare: $compare, filter: $filter) {\n      timezone\n      range {\n        startDate\n        endDate\n      }\n      previousRange {\n        startDate\n        endDate\n      }\n      ...MetricCards_analytics @unmask\n      series(interval: $interval, metrics: [$metric]) {\n        ...TrendChart_bucket @unmask\n      }\n      byPlatform {\n        ...PlatformComparison_platform @unmask\n      }\n      topVideos(first: 10, metric: $topMetric) {\n        ...TopContentTable_topVideo @unmask\n      }\n    }\n  }\n": typeof types.OverviewPageDocument,
    "\n  query VideoPage(\n    $id: ID!\n    $range: AnalyticsRangeInput\n    $compare: AnalyticsComparison!\n    $interval: AnalyticsInterval!\n    $metric: AnalyticsMetric!\n  ) {\n    video(id: $id) {\n      id\n      title\n      description\n      publishedAt\n      durationSeconds\n      tags\n      stats {\n        views\n      }\n      analytics(range: $range, compare: $compare) {\n        totals {\n          views {\n            value\n            previous\n            changePct\n            trend\n          }\n        }\n        series(interval: $interval, metrics: [$metric]) {\n          ...TrendChart_bucket @unmask\n        }\n      }\n      ...ProcessingStatus_video\n      ...VideoTotals_video\n      ...PlatformStats_video\n    }\n  }\n": typeof types.VideoPageDocument,
    "\n  subscription VideoLiveViews($videoId: ID!) {\n    videoViewsUpdated(videoId: $videoId, minIntervalMs: 1000) {\n      views\n      delta\n      viewsPerMinute\n      at\n    }\n  }\n": typeof types.VideoLiveViewsDocument,
    "\n  subscription VideoProcessing($videoId: ID!) {\n    videoProcessingStatus(videoId: $videoId) {\n      at\n      video {\n        id\n        ...ProcessingStatus_video\n      }\n    }\n  }\n": typeof types.VideoProcessingDocument,
};
const documents: Documents = {
    "\n  subscription WatchVideoExample($id: ID!) {\n    videoViewsUpdated(videoId: $id, minIntervalMs: 1000) {\n      views\n      delta\n      viewsPerMinute\n      at\n      video {\n        id\n        title\n      }\n    }\n  }\n": types.WatchVideoExampleDocument,
    "\n  query SignInCheck {\n    me {\n      id\n      name\n    }\n  }\n": types.SignInCheckDocument,
    "\n  fragment ApiKeyRow_apiKey on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    status\n    lastUsedAt\n    createdAt\n    previousSecretExpiresAt\n  }\n": types.ApiKeyRow_ApiKeyFragmentDoc,
    "\n  fragment AppRow_app on App {\n    id\n    name\n    status\n    clientId\n    installCount\n  }\n": types.AppRow_AppFragmentDoc,
    "\n  fragment InstalledApp_install on AppInstall {\n    installedAt\n    scopes\n    app {\n      id\n      name\n    }\n  }\n": types.InstalledApp_InstallFragmentDoc,
    "\n  subscription OverviewLive {\n    analyticsUpdated(intervalMs: 2000) {\n      at\n      viewsToday {\n        value\n        previous\n        changePct\n        trend\n      }\n      viewsLastMinute {\n        value\n      }\n    }\n  }\n": types.OverviewLiveDocument,
    "\n  fragment MetricCards_analytics on Analytics {\n    totals {\n      views {\n        value\n        previous\n        changePct\n        trend\n      }\n      engagementRate {\n        value\n        previous\n        changePct\n        trend\n      }\n      current {\n        likes\n        comments\n        shares\n      }\n      previous {\n        likes\n        comments\n        shares\n      }\n    }\n    growth {\n      platform\n      startFollowers\n      endFollowers\n    }\n  }\n": types.MetricCards_AnalyticsFragmentDoc,
    "\n  fragment PlatformComparison_platform on PlatformBreakdown {\n    platform\n    share(metric: VIEWS)\n    views: metric(metric: VIEWS) {\n      value\n      previous\n      changePct\n      trend\n    }\n    totals {\n      views\n    }\n  }\n": types.PlatformComparison_PlatformFragmentDoc,
    "\n  fragment PlatformStats_video on Video {\n    id\n    publications {\n      id\n      platform\n      url\n      publishedAt\n      channel {\n        id\n        handle\n      }\n      stats {\n        views\n        likes\n        comments\n        shares\n        engagementRate\n        ctr\n      }\n    }\n  }\n": types.PlatformStats_VideoFragmentDoc,
    "\n  fragment ProcessingStatus_video on Video {\n    id\n    status\n    processingProgress\n  }\n": types.ProcessingStatus_VideoFragmentDoc,
    "\n  fragment TopContentTable_topVideo on TopVideo {\n    rank\n    value\n    comparison {\n      value\n      previous\n      changePct\n      trend\n    }\n    totals {\n      views\n      likes\n      comments\n      shares\n      engagementRate\n    }\n    video {\n      id\n      title\n    }\n  }\n": types.TopContentTable_TopVideoFragmentDoc,
    "\n  fragment TrendChart_bucket on SeriesBucket {\n    label\n    start\n    end\n    values {\n      value\n      previous\n    }\n  }\n": types.TrendChart_BucketFragmentDoc,
    "\n  fragment UsagePanel_usage on Usage {\n    from\n    to\n    totals {\n      operations\n      cost\n      rejected\n      rejectionRate\n    }\n    days {\n      day\n      operations\n      rejected\n    }\n    quota {\n      plan\n      costLimit\n      enforced\n      perMinute {\n        limit\n        remaining\n        resetAt\n      }\n      perDay {\n        limit\n        remaining\n        resetAt\n      }\n    }\n    credentials {\n      credential\n      kind\n      name\n      prefix\n      totals {\n        operations\n        rejected\n      }\n    }\n  }\n": types.UsagePanel_UsageFragmentDoc,
    "\n  fragment VideoRow_video on Video {\n    id\n    title\n    status\n    publishedAt\n    tags\n    publications {\n      id\n      platform\n    }\n    stats {\n      views\n      likes\n      engagementRate\n    }\n  }\n": types.VideoRow_VideoFragmentDoc,
    "\n  fragment VideoTotals_video on Video {\n    id\n    stats {\n      views\n      likes\n      comments\n      shares\n      saves\n      engagementRate\n      ctr\n      watchTimeSeconds\n    }\n  }\n": types.VideoTotals_VideoFragmentDoc,
    "\n  query ContentPage($first: Int!, $after: String, $filter: VideoFilter, $orderBy: VideoOrder) {\n    videos(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...VideoRow_video\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ContentPageDocument,
    "\n  query DeveloperPage {\n    me {\n      id\n      email\n      plan\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_apiKey\n    }\n    myApps {\n      id\n      ...AppRow_app\n    }\n    installedApps {\n      ...InstalledApp_install @unmask\n    }\n    usage {\n      ...UsagePanel_usage @unmask\n    }\n  }\n": types.DeveloperPageDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RotateApiKey($id: ID!) {\n    rotateApiKey(input: { id: $id }) {\n      secret\n      apiKey {\n        id\n        name\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.RotateApiKeyDocument,
    "\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        ...ApiKeyRow_apiKey\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.DisableApiKeyDocument,
    "\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        ...ApiKeyRow_apiKey\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.EnableApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(input: { id: $id }) {\n      apiKey {\n        id\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  query OverviewPage(\n    $range: AnalyticsRangeInput\n    $compare: AnalyticsComparison!\n    $filter: AnalyticsFilterInput\n    $interval: AnalyticsInterval!\n    $metric: AnalyticsMetric!\n    $topMetric: AnalyticsMetric!\n  ) {\n    analytics(range: $range, compare: $compare, filter: $filter) {\n      timezone\n      range {\n        startDate\n        endDate\n      }\n      previousRange {\n        startDate\n        endDate\n      }\n      ...MetricCards_analytics @unmask\n      series(interval: $interval, metrics: [$metric]) {\n        ...TrendChart_bucket @unmask\n      }\n      byPlatform {\n        ...PlatformComparison_platform @unmask\n      }\n      topVideos(first: 10, metric: $topMetric) {\n        ...TopContentTable_topVideo @unmask\n      }\n    }\n  }\n": types.OverviewPageDocument,
    "\n  query VideoPage(\n    $id: ID!\n    $range: AnalyticsRangeInput\n    $compare: AnalyticsComparison!\n    $interval: AnalyticsInterval!\n    $metric: AnalyticsMetric!\n  ) {\n    video(id: $id) {\n      id\n      title\n      description\n      publishedAt\n      durationSeconds\n      tags\n      stats {\n        views\n      }\n      analytics(range: $range, compare: $compare) {\n        totals {\n          views {\n            value\n            previous\n            changePct\n            trend\n          }\n        }\n        series(interval: $interval, metrics: [$metric]) {\n          ...TrendChart_bucket @unmask\n        }\n      }\n      ...ProcessingStatus_video\n      ...VideoTotals_video\n      ...PlatformStats_video\n    }\n  }\n": types.VideoPageDocument,
    "\n  subscription VideoLiveViews($videoId: ID!) {\n    videoViewsUpdated(videoId: $videoId, minIntervalMs: 1000) {\n      views\n      delta\n      viewsPerMinute\n      at\n    }\n  }\n": types.VideoLiveViewsDocument,
    "\n  subscription VideoProcessing($videoId: ID!) {\n    videoProcessingStatus(videoId: $videoId) {\n      at\n      video {\n        id\n        ...ProcessingStatus_video\n      }\n    }\n  }\n": types.VideoProcessingDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WatchVideoExample($id: ID!) {\n    videoViewsUpdated(videoId: $id, minIntervalMs: 1000) {\n      views\n      delta\n      viewsPerMinute\n      at\n      video {\n        id\n        title\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription WatchVideoExample($id: ID!) {\n    videoViewsUpdated(videoId: $id, minIntervalMs: 1000) {\n      views\n      delta\n      viewsPerMinute\n      at\n      video {\n        id\n        title\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignInCheck {\n    me {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query SignInCheck {\n    me {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyRow_apiKey on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    status\n    lastUsedAt\n    createdAt\n    previousSecretExpiresAt\n  }\n"): (typeof documents)["\n  fragment ApiKeyRow_apiKey on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    status\n    lastUsedAt\n    createdAt\n    previousSecretExpiresAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AppRow_app on App {\n    id\n    name\n    status\n    clientId\n    installCount\n  }\n"): (typeof documents)["\n  fragment AppRow_app on App {\n    id\n    name\n    status\n    clientId\n    installCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InstalledApp_install on AppInstall {\n    installedAt\n    scopes\n    app {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment InstalledApp_install on AppInstall {\n    installedAt\n    scopes\n    app {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OverviewLive {\n    analyticsUpdated(intervalMs: 2000) {\n      at\n      viewsToday {\n        value\n        previous\n        changePct\n        trend\n      }\n      viewsLastMinute {\n        value\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription OverviewLive {\n    analyticsUpdated(intervalMs: 2000) {\n      at\n      viewsToday {\n        value\n        previous\n        changePct\n        trend\n      }\n      viewsLastMinute {\n        value\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MetricCards_analytics on Analytics {\n    totals {\n      views {\n        value\n        previous\n        changePct\n        trend\n      }\n      engagementRate {\n        value\n        previous\n        changePct\n        trend\n      }\n      current {\n        likes\n        comments\n        shares\n      }\n      previous {\n        likes\n        comments\n        shares\n      }\n    }\n    growth {\n      platform\n      startFollowers\n      endFollowers\n    }\n  }\n"): (typeof documents)["\n  fragment MetricCards_analytics on Analytics {\n    totals {\n      views {\n        value\n        previous\n        changePct\n        trend\n      }\n      engagementRate {\n        value\n        previous\n        changePct\n        trend\n      }\n      current {\n        likes\n        comments\n        shares\n      }\n      previous {\n        likes\n        comments\n        shares\n      }\n    }\n    growth {\n      platform\n      startFollowers\n      endFollowers\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PlatformComparison_platform on PlatformBreakdown {\n    platform\n    share(metric: VIEWS)\n    views: metric(metric: VIEWS) {\n      value\n      previous\n      changePct\n      trend\n    }\n    totals {\n      views\n    }\n  }\n"): (typeof documents)["\n  fragment PlatformComparison_platform on PlatformBreakdown {\n    platform\n    share(metric: VIEWS)\n    views: metric(metric: VIEWS) {\n      value\n      previous\n      changePct\n      trend\n    }\n    totals {\n      views\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PlatformStats_video on Video {\n    id\n    publications {\n      id\n      platform\n      url\n      publishedAt\n      channel {\n        id\n        handle\n      }\n      stats {\n        views\n        likes\n        comments\n        shares\n        engagementRate\n        ctr\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment PlatformStats_video on Video {\n    id\n    publications {\n      id\n      platform\n      url\n      publishedAt\n      channel {\n        id\n        handle\n      }\n      stats {\n        views\n        likes\n        comments\n        shares\n        engagementRate\n        ctr\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProcessingStatus_video on Video {\n    id\n    status\n    processingProgress\n  }\n"): (typeof documents)["\n  fragment ProcessingStatus_video on Video {\n    id\n    status\n    processingProgress\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TopContentTable_topVideo on TopVideo {\n    rank\n    value\n    comparison {\n      value\n      previous\n      changePct\n      trend\n    }\n    totals {\n      views\n      likes\n      comments\n      shares\n      engagementRate\n    }\n    video {\n      id\n      title\n    }\n  }\n"): (typeof documents)["\n  fragment TopContentTable_topVideo on TopVideo {\n    rank\n    value\n    comparison {\n      value\n      previous\n      changePct\n      trend\n    }\n    totals {\n      views\n      likes\n      comments\n      shares\n      engagementRate\n    }\n    video {\n      id\n      title\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TrendChart_bucket on SeriesBucket {\n    label\n    start\n    end\n    values {\n      value\n      previous\n    }\n  }\n"): (typeof documents)["\n  fragment TrendChart_bucket on SeriesBucket {\n    label\n    start\n    end\n    values {\n      value\n      previous\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UsagePanel_usage on Usage {\n    from\n    to\n    totals {\n      operations\n      cost\n      rejected\n      rejectionRate\n    }\n    days {\n      day\n      operations\n      rejected\n    }\n    quota {\n      plan\n      costLimit\n      enforced\n      perMinute {\n        limit\n        remaining\n        resetAt\n      }\n      perDay {\n        limit\n        remaining\n        resetAt\n      }\n    }\n    credentials {\n      credential\n      kind\n      name\n      prefix\n      totals {\n        operations\n        rejected\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment UsagePanel_usage on Usage {\n    from\n    to\n    totals {\n      operations\n      cost\n      rejected\n      rejectionRate\n    }\n    days {\n      day\n      operations\n      rejected\n    }\n    quota {\n      plan\n      costLimit\n      enforced\n      perMinute {\n        limit\n        remaining\n        resetAt\n      }\n      perDay {\n        limit\n        remaining\n        resetAt\n      }\n    }\n    credentials {\n      credential\n      kind\n      name\n      prefix\n      totals {\n        operations\n        rejected\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VideoRow_video on Video {\n    id\n    title\n    status\n    publishedAt\n    tags\n    publications {\n      id\n      platform\n    }\n    stats {\n      views\n      likes\n      engagementRate\n    }\n  }\n"): (typeof documents)["\n  fragment VideoRow_video on Video {\n    id\n    title\n    status\n    publishedAt\n    tags\n    publications {\n      id\n      platform\n    }\n    stats {\n      views\n      likes\n      engagementRate\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VideoTotals_video on Video {\n    id\n    stats {\n      views\n      likes\n      comments\n      shares\n      saves\n      engagementRate\n      ctr\n      watchTimeSeconds\n    }\n  }\n"): (typeof documents)["\n  fragment VideoTotals_video on Video {\n    id\n    stats {\n      views\n      likes\n      comments\n      shares\n      saves\n      engagementRate\n      ctr\n      watchTimeSeconds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContentPage($first: Int!, $after: String, $filter: VideoFilter, $orderBy: VideoOrder) {\n    videos(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...VideoRow_video\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContentPage($first: Int!, $after: String, $filter: VideoFilter, $orderBy: VideoOrder) {\n    videos(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          ...VideoRow_video\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeveloperPage {\n    me {\n      id\n      email\n      plan\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_apiKey\n    }\n    myApps {\n      id\n      ...AppRow_app\n    }\n    installedApps {\n      ...InstalledApp_install @unmask\n    }\n    usage {\n      ...UsagePanel_usage @unmask\n    }\n  }\n"): (typeof documents)["\n  query DeveloperPage {\n    me {\n      id\n      email\n      plan\n    }\n    apiKeys {\n      id\n      ...ApiKeyRow_apiKey\n    }\n    myApps {\n      id\n      ...AppRow_app\n    }\n    installedApps {\n      ...InstalledApp_install @unmask\n    }\n    usage {\n      ...UsagePanel_usage @unmask\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateApiKey($id: ID!) {\n    rotateApiKey(input: { id: $id }) {\n      secret\n      apiKey {\n        id\n        name\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RotateApiKey($id: ID!) {\n    rotateApiKey(input: { id: $id }) {\n      secret\n      apiKey {\n        id\n        name\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        ...ApiKeyRow_apiKey\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DisableApiKey($id: ID!) {\n    disableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        ...ApiKeyRow_apiKey\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        ...ApiKeyRow_apiKey\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation EnableApiKey($id: ID!) {\n    enableApiKey(input: { id: $id }) {\n      apiKey {\n        id\n        ...ApiKeyRow_apiKey\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(input: { id: $id }) {\n      apiKey {\n        id\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(input: { id: $id }) {\n      apiKey {\n        id\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OverviewPage(\n    $range: AnalyticsRangeInput\n    $compare: AnalyticsComparison!\n    $filter: AnalyticsFilterInput\n    $interval: AnalyticsInterval!\n    $metric: AnalyticsMetric!\n    $topMetric: AnalyticsMetric!\n  ) {\n    analytics(range: $range, compare: $compare, filter: $filter) {\n      timezone\n      range {\n        startDate\n        endDate\n      }\n      previousRange {\n        startDate\n        endDate\n      }\n      ...MetricCards_analytics @unmask\n      series(interval: $interval, metrics: [$metric]) {\n        ...TrendChart_bucket @unmask\n      }\n      byPlatform {\n        ...PlatformComparison_platform @unmask\n      }\n      topVideos(first: 10, metric: $topMetric) {\n        ...TopContentTable_topVideo @unmask\n      }\n    }\n  }\n"): (typeof documents)["\n  query OverviewPage(\n    $range: AnalyticsRangeInput\n    $compare: AnalyticsComparison!\n    $filter: AnalyticsFilterInput\n    $interval: AnalyticsInterval!\n    $metric: AnalyticsMetric!\n    $topMetric: AnalyticsMetric!\n  ) {\n    analytics(range: $range, compare: $compare, filter: $filter) {\n      timezone\n      range {\n        startDate\n        endDate\n      }\n      previousRange {\n        startDate\n        endDate\n      }\n      ...MetricCards_analytics @unmask\n      series(interval: $interval, metrics: [$metric]) {\n        ...TrendChart_bucket @unmask\n      }\n      byPlatform {\n        ...PlatformComparison_platform @unmask\n      }\n      topVideos(first: 10, metric: $topMetric) {\n        ...TopContentTable_topVideo @unmask\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VideoPage(\n    $id: ID!\n    $range: AnalyticsRangeInput\n    $compare: AnalyticsComparison!\n    $interval: AnalyticsInterval!\n    $metric: AnalyticsMetric!\n  ) {\n    video(id: $id) {\n      id\n      title\n      description\n      publishedAt\n      durationSeconds\n      tags\n      stats {\n        views\n      }\n      analytics(range: $range, compare: $compare) {\n        totals {\n          views {\n            value\n            previous\n            changePct\n            trend\n          }\n        }\n        series(interval: $interval, metrics: [$metric]) {\n          ...TrendChart_bucket @unmask\n        }\n      }\n      ...ProcessingStatus_video\n      ...VideoTotals_video\n      ...PlatformStats_video\n    }\n  }\n"): (typeof documents)["\n  query VideoPage(\n    $id: ID!\n    $range: AnalyticsRangeInput\n    $compare: AnalyticsComparison!\n    $interval: AnalyticsInterval!\n    $metric: AnalyticsMetric!\n  ) {\n    video(id: $id) {\n      id\n      title\n      description\n      publishedAt\n      durationSeconds\n      tags\n      stats {\n        views\n      }\n      analytics(range: $range, compare: $compare) {\n        totals {\n          views {\n            value\n            previous\n            changePct\n            trend\n          }\n        }\n        series(interval: $interval, metrics: [$metric]) {\n          ...TrendChart_bucket @unmask\n        }\n      }\n      ...ProcessingStatus_video\n      ...VideoTotals_video\n      ...PlatformStats_video\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription VideoLiveViews($videoId: ID!) {\n    videoViewsUpdated(videoId: $videoId, minIntervalMs: 1000) {\n      views\n      delta\n      viewsPerMinute\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription VideoLiveViews($videoId: ID!) {\n    videoViewsUpdated(videoId: $videoId, minIntervalMs: 1000) {\n      views\n      delta\n      viewsPerMinute\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription VideoProcessing($videoId: ID!) {\n    videoProcessingStatus(videoId: $videoId) {\n      at\n      video {\n        id\n        ...ProcessingStatus_video\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription VideoProcessing($videoId: ID!) {\n    videoProcessingStatus(videoId: $videoId) {\n      at\n      video {\n        id\n        ...ProcessingStatus_video\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;