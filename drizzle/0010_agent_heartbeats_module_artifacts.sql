CREATE TABLE "module_artifacts" (
	"module_id" text NOT NULL,
	"version" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"filename" text NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "module_artifacts_module_id_version_pk" PRIMARY KEY("module_id","version")
);
--> statement-breakpoint
CREATE TABLE "agent_heartbeats" (
	"license_id" uuid PRIMARY KEY NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"version" text NOT NULL,
	"executor" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_heartbeats" ADD CONSTRAINT "agent_heartbeats_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every agent-bound outbox row (any writer: purchases, resends, module installs) wakes that
-- license's HTTP long-polls on every replica, at the commit of the transaction that wrote it.
CREATE OR REPLACE FUNCTION cairn_agent_queue_notify() RETURNS trigger AS $$
BEGIN
	PERFORM pg_notify('cairn_agent_queue', NEW.license_id::text);
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER deliveries_agent_queue_notify AFTER INSERT ON "deliveries" FOR EACH ROW EXECUTE FUNCTION cairn_agent_queue_notify();
