// The webhook module's GraphQL: endpoints and the catalogue, the delivery log, threshold rules.
import './webhook.graphql.js';
import './delivery.graphql.js';
import './threshold.graphql.js';
