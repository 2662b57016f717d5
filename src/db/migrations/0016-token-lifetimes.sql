-- Every API token has a lifetime: tokens made without one (they never expired) now end 90 days
-- from this migration, the default lifetime of new tokens.
UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;

-- who made the token: its owner, an administrator (impersonation, on the ledger) or `system` (the
-- command line); unknown for tokens made before
ALTER TABLE api_tokens ADD COLUMN created_by text;

-- serves: a user's tokens, listed by their owner or an administrator (listApiTokens), and revoking
-- them all when the user is disabled
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);
