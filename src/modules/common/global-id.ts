import { PothosValidationError } from '@pothos/core';
import { decodeGlobalID } from '@pothos/plugin-relay';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every object id is a UUID: refusing others here keeps malformed ids away from SQL casts. */
export function decodeUuidGlobalID(globalID: string): { typename: string; id: string } {
  const decoded = decodeGlobalID(globalID);
  if (!UUID.test(decoded.id)) throw new PothosValidationError(`Invalid global ID: ${globalID}`);
  return decoded;
}

/** The UUID inside a global ID of the given type, or null when it is not one. */
export function uuidFromGlobalId(globalID: unknown, typename: string): string | null {
  if (typeof globalID !== 'string') return null;
  try {
    const decoded = decodeUuidGlobalID(globalID);
    return decoded.typename === typename ? decoded.id : null;
  } catch {
    return null;
  }
}
