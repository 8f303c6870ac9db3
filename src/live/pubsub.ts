import { createPubSub } from 'graphql-yoga';

/**
 * Topics carry ids, not rows: subscribers reload through their own (authorized) loaders, so a
 * payload never leaks data and the transport can later move to Redis unchanged.
 */
export type PubSubTopics = {
  'video:changed': [videoId: string, payload: { videoId: string; deleted: boolean }];
};

export type PubSub = ReturnType<typeof createPulsePubSub>;

export const createPulsePubSub = () => createPubSub<PubSubTopics>();
