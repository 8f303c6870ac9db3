import type { Viewer } from './modules/auth/viewer.js';
import type { AppServices } from './services.js';

/** What every resolver receives: the long-lived services and who is calling. */
export interface Context extends AppServices {
  viewer: Viewer | null;
}

/** The context of a field that requires credentials (`t.withAuth`): a viewer is present. */
export type SignedInContext = Context & { viewer: Viewer };
