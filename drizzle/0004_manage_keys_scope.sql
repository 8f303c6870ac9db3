-- Key and app management moved from write:user to its own scope, manage:keys. Keys that held
-- every scope before keep all they could do; narrower keys lose key management (the point).
UPDATE "api_keys"
SET "scopes" = array_append("scopes", 'manage:keys')
WHERE "scopes" @> ARRAY['read:user', 'write:user', 'read:videos', 'write:videos', 'read:analytics', 'write:metrics', 'manage:webhooks']::text[]
  AND NOT ('manage:keys' = ANY ("scopes"));
