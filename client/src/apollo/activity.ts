import { ApolloLink, type DocumentNode } from '@apollo/client';
import { Observable } from 'rxjs';
import { getMainDefinition } from '@apollo/client/utilities';

export const isSubscription = (query: DocumentNode) => {
  const definition = getMainDefinition(query);
  return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
};

/** How many queries and mutations are waiting for the server (subscriptions never finish). */
export interface Activity {
  pending(): number;
  subscribe(listener: () => void): () => void;
}

/** Counts the requests in flight, for the progress bar: a slow answer is never a blank wait. */
export function createActivity(): { activity: Activity; link: ApolloLink } {
  let pending = 0;
  const listeners = new Set<() => void>();
  const change = (by: number) => {
    pending += by;
    listeners.forEach((listener) => listener());
  };

  const link = new ApolloLink((operation, forward) => {
    if (isSubscription(operation.query)) return forward(operation);
    return new Observable((observer) => {
      let open = true;
      const finish = () => {
        if (!open) return;
        open = false;
        change(-1);
      };
      change(1);
      const subscription = forward(operation).subscribe({
        next: (value) => observer.next(value),
        error: (error: unknown) => {
          finish();
          observer.error(error);
        },
        complete: () => {
          finish();
          observer.complete();
        },
      });
      return () => {
        finish();
        subscription.unsubscribe();
      };
    });
  });

  return {
    link,
    activity: {
      pending: () => pending,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}
