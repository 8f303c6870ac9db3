// Registers every module's types and root fields on the builder; order only matters for
// readability of this list, not for the schema.
import './common/common.graphql.js';
import './user/user.graphql.js';
import './api-key/api-key.graphql.js';
import './oauth-app/oauth-app.graphql.js';
import './channel/channel.graphql.js';
import './video/video.graphql.js';
import './video/video.mutations.js';
import './live/live.graphql.js';
import './ingest/ingest.graphql.js';
import './analytics/analytics.graphql.js';
import './live/live-analytics.graphql.js';
import './video/processing.graphql.js';
import './notification/notification.graphql.js';
import './limits/usage.graphql.js';
import './analytics/object-analytics.graphql.js';
import './analytics/audience/audience.graphql.js';
import './analytics/report/report.graphql.js';
import './analytics/insights/insights.graphql.js';
import './report/report.graphql.js';
import './export/export.graphql.js';
import './report/run.graphql.js';
import './webhook/schema.graphql.js';
