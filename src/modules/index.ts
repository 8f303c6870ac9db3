// Registers every module's types and root fields on the builder; order only matters for
// readability of this list, not for the schema.
import './common/common.graphql.js';
import './user/user.graphql.js';
import './api-key/api-key.graphql.js';
import './oauth/oauth-app.graphql.js';
import './channel/channel.graphql.js';
import './video/video.graphql.js';
import './video/video.mutations.js';
import './live/live.graphql.js';
import './metrics/metrics.graphql.js';
import './analytics/analytics.graphql.js';
import './live/analytics.graphql.js';
import './video/processing.graphql.js';
import './notification/notification.graphql.js';
import './usage/usage.graphql.js';
import './analytics/object-analytics.graphql.js';
import './analytics/audience.graphql.js';
import './analytics/report.graphql.js';
import './analytics/insights.graphql.js';
