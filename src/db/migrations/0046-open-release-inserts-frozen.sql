-- A published release gains no cell and no file either: the triggers of 0040 refused changes and
-- deletions only, so a row could still be added to a published release directly in SQL.
-- (no line inside a function ends with a semicolon: migrations are split at such lines)
CREATE FUNCTION open_release_part_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF EXISTS (SELECT 1 FROM open_releases WHERE id = NEW.release_id AND status = 'published') THEN
    RAISE EXCEPTION 'a published release is immutable'; END IF
  ; RETURN NEW; END $$;
CREATE TRIGGER open_release_cells_added BEFORE INSERT ON open_release_cells
  FOR EACH ROW EXECUTE FUNCTION open_release_part_added();
CREATE TRIGGER open_release_files_added BEFORE INSERT ON open_release_files
  FOR EACH ROW EXECUTE FUNCTION open_release_part_added();
