-- the API token a token was made with, if any: revoking a token revokes the tokens made with it,
-- and none outlives the token that made it, so a stolen token cannot outlive its own revocation
ALTER TABLE api_tokens ADD COLUMN parent_id bigint;

-- serves: the tokens made with a token, revoked with it (revokeApiToken)
CREATE INDEX api_tokens_parent ON api_tokens (parent_id) WHERE parent_id IS NOT NULL;
