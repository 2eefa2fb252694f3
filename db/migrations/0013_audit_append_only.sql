-- Issue #13.4: batch names made before describeFilter stopped quoting the claims search carry the
-- search text (a last name or a file number) that every role reads on /batches, the batch page and
-- the claim timeline. The search was always the last part of the name, so everything from it on is
-- replaced with the words the app now writes. The audit events that recorded those names are left
-- as they were: only admins read them, and they are append-only from here on.
UPDATE "batches"
SET "name" = regexp_replace("name", 'search “.*$', 'search text (not shown)')
WHERE "source" = 'filter' AND "name" LIKE 'Resubmit of claims matching %' AND strpos("name", 'search “') > 0;
--> statement-breakpoint
-- Issue #13.5: the audit log is append-only. A statement trigger refuses UPDATE, DELETE and TRUNCATE
-- for every role, the owner and superusers included (a statement trigger fires even when no row
-- matches, so a probe is refused too). Only the table's owner can take it off, on purpose
-- (ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only), e.g. for a retention job run by
-- hand; the application's role should not be the owner (README, "Running in production").
CREATE OR REPLACE FUNCTION "audit_events_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit events are only ever inserted; see README, "Running in production".';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_append_only"
BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_events"
FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
--> statement-breakpoint
-- And the privileges themselves, for every role that is not the owner (an owner's own privileges
-- cannot be taken away for good: it may grant them back to itself). PUBLIC first, then each role
-- that was granted them by name (e.g. an earlier GRANT ALL ON ALL TABLES to the app's role).
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM PUBLIC;
--> statement-breakpoint
DO $$
DECLARE grantee_name text;
BEGIN
  FOR grantee_name IN
    SELECT DISTINCT pg_get_userbyid(acl.grantee)
    FROM pg_class c, aclexplode(c.relacl) acl
    WHERE c.oid = '"audit_events"'::regclass
      AND acl.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
      AND acl.grantee <> 0 AND acl.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM %I', grantee_name);
  END LOOP;
END $$;
