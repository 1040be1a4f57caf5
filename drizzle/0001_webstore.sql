CREATE TABLE "store_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_config" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"paypal_client_id" text DEFAULT '' NOT NULL,
	"paypal_client_secret_sealed" text,
	"paypal_mode" text DEFAULT 'sandbox' NOT NULL,
	"paypal_webhook_id" text,
	"enabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"price_cents" integer NOT NULL,
	"image_url" text,
	"commands" jsonb NOT NULL,
	"purchase_limit" integer,
	"stock" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_items_price_range" CHECK ("store_items"."price_cents" between 1 and 1000000),
	CONSTRAINT "store_items_stock_nonneg" CHECK ("store_items"."stock" is null or "store_items"."stock" >= 0),
	CONSTRAINT "store_items_purchase_limit_pos" CHECK ("store_items"."purchase_limit" is null or "store_items"."purchase_limit" >= 1)
);
--> statement-breakpoint
CREATE TABLE "store_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"item_name" text NOT NULL,
	"player_name" text NOT NULL,
	"player_uuid" uuid,
	"quantity" integer DEFAULT 1 NOT NULL,
	"unit_price_cents" integer NOT NULL,
	"amount_cents" integer NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"paypal_mode" text DEFAULT 'sandbox' NOT NULL,
	"paypal_order_id" text,
	"paypal_capture_id" text,
	"approval_url" text,
	"stock_reserved" boolean DEFAULT false NOT NULL,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "store_transactions_quantity_range" CHECK ("store_transactions"."quantity" between 1 and 64),
	CONSTRAINT "store_transactions_amount_pos" CHECK ("store_transactions"."amount_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "webstore_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_id" uuid NOT NULL,
	"status" text DEFAULT 'APPROVAL_PENDING' NOT NULL,
	"paypal_subscription_id" text,
	"plan_id" text,
	"current_period_end" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "store_categories" ADD CONSTRAINT "store_categories_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_config" ADD CONSTRAINT "store_config_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_items" ADD CONSTRAINT "store_items_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_items" ADD CONSTRAINT "store_items_category_id_store_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."store_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD CONSTRAINT "store_transactions_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD CONSTRAINT "store_transactions_item_id_store_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."store_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webstore_subscriptions" ADD CONSTRAINT "webstore_subscriptions_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "store_categories_license_idx" ON "store_categories" USING btree ("license_id","sort_order");--> statement-breakpoint
CREATE UNIQUE INDEX "store_config_license_key" ON "store_config" USING btree ("license_id");--> statement-breakpoint
CREATE INDEX "store_items_license_idx" ON "store_items" USING btree ("license_id","sort_order") WHERE "store_items"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "store_items_category_idx" ON "store_items" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "store_transactions_license_created_idx" ON "store_transactions" USING btree ("license_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "store_transactions_license_status_idx" ON "store_transactions" USING btree ("license_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "store_transactions_item_player_idx" ON "store_transactions" USING btree ("item_id",lower("player_name"));--> statement-breakpoint
CREATE UNIQUE INDEX "store_transactions_paypal_order_key" ON "store_transactions" USING btree ("paypal_order_id");--> statement-breakpoint
CREATE INDEX "store_transactions_pending_expiry_idx" ON "store_transactions" USING btree ("expires_at") WHERE "store_transactions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webstore_subscriptions_license_idx" ON "webstore_subscriptions" USING btree ("license_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "webstore_subscriptions_paypal_key" ON "webstore_subscriptions" USING btree ("paypal_subscription_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webstore_subscriptions_one_active" ON "webstore_subscriptions" USING btree ("license_id") WHERE "webstore_subscriptions"."status" = 'ACTIVE';