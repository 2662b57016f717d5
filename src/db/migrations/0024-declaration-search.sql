-- Searching declarations (GET /api/declarations): reference, declarant and HS code filters stay
-- index lookups on a large table. text_pattern_ops serves LIKE 'prefix%' (and =) whatever the
-- database's collation.
-- serves: reference=... (exact, or the references starting with it)
CREATE INDEX declarations_reference ON declarations (functional_reference text_pattern_ops);
-- serves: declarant=..., newest first (keyset on id)
CREATE INDEX declarations_declarant_id ON declarations (declarant_id, id);
-- serves: hs=... (the declarations with an item whose HS code starts with it)
CREATE INDEX declaration_items_hs_code ON declaration_items (hs_code text_pattern_ops, declaration_id);
