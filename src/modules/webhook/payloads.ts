import { encodeGlobalID } from '@pothos/plugin-relay';

/** How events name the objects they are about: global IDs, as the GraphQL API does. */
export const videoPayload = (video: { id: string; title: string }) => ({
  id: encodeGlobalID('Video', video.id),
  title: video.title,
});

export const apiKeyPayload = (apiKey: { id: string; name: string; prefix: string }) => ({
  id: encodeGlobalID('ApiKey', apiKey.id),
  name: apiKey.name,
  prefix: apiKey.prefix,
});

export const appPayload = (app: { id: string; name: string; clientId: string }) => ({
  id: encodeGlobalID('App', app.id),
  name: app.name,
  clientId: app.clientId,
});

/** GraphQL enum spelling of a stored value (`watch_seconds` → `WATCH_SECONDS`). */
export const enumValue = (value: string) => value.toUpperCase();
