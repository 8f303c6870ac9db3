/** How a viewer proved who they are. */
export type Credential =
  | {
      kind: 'api_key';
      id: string;
      prefix: string;
      /**
       * SHA-256 of the secret presented. Open streams re-check it with the rule every request
       * meets (acceptsSecret), so a secret that stops working ends its streams too, whichever
       * way it stopped: rotation past its grace, a second rotation, disable or revoke.
       */
      secretHash: string;
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

/** The stable name of an API key's credential (see credentialKey). */
export const apiKeyCredentialKey = (id: string) => `api_key:${id}`;

/** A stable name for a credential, used to find the streams it opened. */
export function credentialKey(credential: Credential): string {
  return credential.kind === 'api_key'
    ? apiKeyCredentialKey(credential.id)
    : `oauth:${credential.clientId}:${credential.subject}`;
}
