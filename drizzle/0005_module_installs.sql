CREATE TABLE "module_installs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_id" uuid NOT NULL,
	"module_id" text NOT NULL,
	"version" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"detail" text,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "module_installs" ADD CONSTRAINT "module_installs_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "module_installs_one_in_flight" ON "module_installs" USING btree ("license_id","module_id") WHERE "module_installs"."status" in ('queued', 'sent');--> statement-breakpoint
CREATE INDEX "module_installs_license_module_idx" ON "module_installs" USING btree ("license_id","module_id","created_at" DESC NULLS LAST);