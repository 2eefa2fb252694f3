ALTER TABLE "users" DROP CONSTRAINT "users_email_unique";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "issuer" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "subject" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "role_set_by_admin" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
-- Existing rows were keyed by e-mail. The development sign-in's seeded users (never signed in through
-- the identity provider, which always set last_sign_in_at) become (dev, e-mail), as the seed now
-- writes them. Every other row becomes (legacy-email, e-mail): no provider answers for that issuer,
-- so it cannot be signed into as it stands; the first sign-in through the configured provider with
-- that e-mail, verified, takes it over once, history and all (db/queries/users.ts, recordOidcSignIn).
UPDATE "users" SET
  "issuer" = CASE
    WHEN "last_sign_in_at" IS NULL
      AND lower("email") IN ('viewer@example.com', 'triager@example.com', 'admin@example.com') THEN 'dev'
    ELSE 'legacy-email'
  END,
  "subject" = lower("email");--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "issuer" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "subject" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "users_identity_key" ON "users" USING btree ("issuer","subject");--> statement-breakpoint
CREATE INDEX "users_email_idx" ON "users" USING btree ("email");
