import type { Plugin } from 'graphql-yoga';
import { problemResponse } from '../errors.js';

const JSON_TYPES = ['application/json', 'application/graphql-response+json'];

/**
 * POSTs to /graphql must be JSON. HTML forms can only send form or text content types, so this
 * also shuts the door on CSRF (a cross-site form cannot make a JSON request without CORS).
 */
export function useJsonOnly(endpoint: string): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== endpoint || request.method !== 'POST') return;
      const contentType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (contentType && JSON_TYPES.includes(contentType)) return;
      endResponse(
        problemResponse(415, 'UNSUPPORTED_MEDIA_TYPE', 'POST bodies must be application/json.'),
      );
    },
  };
}
