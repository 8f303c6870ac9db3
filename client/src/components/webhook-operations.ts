// The Webhooks section's mutations (client/src/components/webhooks-section.tsx).
import { graphql } from '../gql/index.js';

export const CreateWebhookEndpoint = graphql(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      secret
      endpoint {
        id
        url
      }
      userErrors {
        field
        message
      }
    }
  }
`);

export const RotateWebhookSecret = graphql(`
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(input: { id: $id }) {
      secret
      endpoint {
        id
        url
      }
      userErrors {
        message
      }
    }
  }
`);

export const SetWebhookEndpointStatus = graphql(`
  mutation SetWebhookEndpointStatus($id: ID!, $disable: Boolean!) {
    disableWebhookEndpoint(input: { id: $id }) @include(if: $disable) {
      endpoint {
        id
        status
        disabledReason
      }
      userErrors {
        message
      }
    }
    enableWebhookEndpoint(input: { id: $id }) @skip(if: $disable) {
      endpoint {
        id
        status
        disabledReason
        failingSince
      }
      userErrors {
        message
      }
    }
  }
`);

export const DeleteWebhookEndpoint = graphql(`
  mutation DeleteWebhookEndpoint($id: ID!) {
    deleteWebhookEndpoint(input: { id: $id }) {
      deletedEndpointId
      userErrors {
        message
      }
    }
  }
`);

export const SendTestWebhook = graphql(`
  mutation SendTestWebhook($id: ID!) {
    sendTestWebhook(input: { id: $id }) {
      delivery {
        id
      }
      userErrors {
        message
      }
    }
  }
`);
