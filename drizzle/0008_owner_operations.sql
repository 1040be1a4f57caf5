CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_id" uuid NOT NULL,
	"user_id" uuid,
	"actor_email" text NOT NULL,
	"action" text NOT NULL,
	"target_id" uuid,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discord_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_id" uuid NOT NULL,
	"transaction_id" uuid NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "deliveries_kind_ref_key";--> statement-breakpoint
ALTER TABLE "store_config" ADD COLUMN "discord_webhook_url" text;--> statement-breakpoint
ALTER TABLE "store_items" ADD COLUMN "revoke_commands" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "store_items" ADD COLUMN "duration_days" integer;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD COLUMN "source" text DEFAULT 'purchase' NOT NULL;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD COLUMN "refunded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD COLUMN "granted_by" uuid;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD COLUMN "grant_note" text;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "reason" text DEFAULT 'purchase' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discord_outbox" ADD CONSTRAINT "discord_outbox_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_license_at_idx" ON "audit_events" USING btree ("license_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "discord_outbox_transaction_key" ON "discord_outbox" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "discord_outbox_due_idx" ON "discord_outbox" USING btree ("next_attempt_at") WHERE "discord_outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "store_transactions_ends_idx" ON "store_transactions" USING btree ("ends_at") WHERE "store_transactions"."ends_at" is not null and "store_transactions"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "store_transactions_license_paid_idx" ON "store_transactions" USING btree ("license_id","paid_at") WHERE "store_transactions"."paid_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_give_once_key" ON "deliveries" USING btree ("kind","ref_id") WHERE "deliveries"."reason" in ('purchase', 'manual');--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_take_back_once_key" ON "deliveries" USING btree ("kind","ref_id") WHERE "deliveries"."reason" in ('revoke', 'expiry');--> statement-breakpoint
CREATE INDEX "deliveries_ref_idx" ON "deliveries" USING btree ("ref_id","created_at");--> statement-breakpoint
ALTER TABLE "store_items" ADD CONSTRAINT "store_items_duration_range" CHECK ("store_items"."duration_days" is null or "store_items"."duration_days" between 1 and 3650);