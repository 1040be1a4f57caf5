CREATE TABLE "host_billing_lines" (
	"record_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"license_id" uuid NOT NULL,
	"server_id" text NOT NULL,
	"hostname" text,
	"customer_email" text NOT NULL,
	"provisioned_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"amount_cents" integer NOT NULL,
	CONSTRAINT "host_billing_lines_record_id_position_pk" PRIMARY KEY("record_id","position")
);
--> statement-breakpoint
CREATE TABLE "host_billing_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"host_id" uuid NOT NULL,
	"month" text NOT NULL,
	"billable_licenses" integer NOT NULL,
	"rate_cents" integer NOT NULL,
	"amount_cents" bigint NOT NULL,
	"currency" text NOT NULL,
	"generated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "host_licenses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"host_id" uuid NOT NULL,
	"license_id" uuid NOT NULL,
	"server_id" text NOT NULL,
	"customer_email" text NOT NULL,
	"provisioned_at" timestamp with time zone NOT NULL,
	"suspended_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hosts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"api_key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"rate_cents" integer DEFAULT 600 NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "host_billing_lines" ADD CONSTRAINT "host_billing_lines_record_id_host_billing_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."host_billing_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_billing_records" ADD CONSTRAINT "host_billing_records_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_licenses" ADD CONSTRAINT "host_licenses_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_licenses" ADD CONSTRAINT "host_licenses_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "host_billing_records_host_month_key" ON "host_billing_records" USING btree ("host_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "host_licenses_license_key" ON "host_licenses" USING btree ("license_id");--> statement-breakpoint
CREATE UNIQUE INDEX "host_licenses_live_server_key" ON "host_licenses" USING btree ("host_id","server_id") WHERE "host_licenses"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "host_licenses_host_provisioned_idx" ON "host_licenses" USING btree ("host_id","provisioned_at","license_id");--> statement-breakpoint
CREATE UNIQUE INDEX "hosts_api_key_hash_key" ON "hosts" USING btree ("api_key_hash");