import type { Plugin } from 'graphql-yoga';

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
        Response.json(
          {
            errors: [
              {
                message: 'POST bodies must be application/json.',
                extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
              },
            ],
          },
          {
            status: 415,
            headers: { 'content-type': 'application/graphql-response+json; charset=utf-8' },
          },
        ),
      );
    },
  };
}
