/** How a viewer proved who they are. */
export type Credential =
  | {
      kind: 'api_key';
      id: string;
      prefix: string;
      /** Set when the key's previous secret (still in its rotation grace) was presented. */
      graceEndsAt?: Date;
    }
  | {
      kind: 'oauth';
      /** The OAuth client (app) the token was issued to. */
      clientId: string;
      /** The token's `exp`. */
      expiresAt: Date;
      /** The token's `sub`. */
      subject: string;
      /** The built-in server's grant behind the token; absent for an external issuer. */
      grantId?: string;
    };

/** A stable name for a credential, used to find the streams it opened. */
export function credentialKey(credential: Credential): string {
  return credential.kind === 'api_key'
    ? `api_key:${credential.id}`
    : `oauth:${credential.clientId}:${credential.subject}`;
}
