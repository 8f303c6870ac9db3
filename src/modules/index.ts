// Registers every module's types and root fields on the builder; order only matters for
// readability of this list, not for the schema.
import './common/common.graphql.js';
import './user/user.graphql.js';
import './channel/channel.graphql.js';
import './video/video.graphql.js';
import './video/video.mutations.js';
import './live/live.graphql.js';
import './metrics/metrics.graphql.js';
