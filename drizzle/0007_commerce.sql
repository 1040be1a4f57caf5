CREATE TABLE "store_coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_id" uuid NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"value" integer NOT NULL,
	"min_subtotal_cents" integer,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"max_uses" integer,
	"max_uses_per_player" integer,
	"item_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"category_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_images" (
	"image_id" uuid NOT NULL,
	"width" integer NOT NULL,
	"license_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"content_type" text NOT NULL,
	"height" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_images_image_id_width_pk" PRIMARY KEY("image_id","width")
);
--> statement-breakpoint
CREATE TABLE "store_sales" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"license_id" uuid NOT NULL,
	"name" text NOT NULL,
	"percent" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"item_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"category_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_transaction_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"transaction_id" uuid NOT NULL,
	"license_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"item_name" text NOT NULL,
	"position" integer NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_cents" integer NOT NULL,
	"regular_unit_price_cents" integer NOT NULL,
	"line_cents" integer NOT NULL,
	"discount_cents" integer DEFAULT 0 NOT NULL,
	"stock_reserved" boolean DEFAULT false NOT NULL,
	CONSTRAINT "store_transaction_lines_quantity_range" CHECK ("store_transaction_lines"."quantity" between 1 and 64),
	CONSTRAINT "store_transaction_lines_discount_range" CHECK ("store_transaction_lines"."discount_cents" between 0 and "store_transaction_lines"."line_cents")
);
--> statement-breakpoint
ALTER TABLE "store_transactions" DROP CONSTRAINT "store_transactions_amount_pos";--> statement-breakpoint
ALTER TABLE "store_config" ADD COLUMN "monthly_goal_cents" integer;--> statement-breakpoint
ALTER TABLE "store_config" ADD COLUMN "show_recent_purchases" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "store_items" ADD COLUMN "image_id" uuid;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD COLUMN "subtotal_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD COLUMN "discount_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD COLUMN "coupon_code" text;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD COLUMN "coupon_id" uuid;--> statement-breakpoint
ALTER TABLE "store_coupons" ADD CONSTRAINT "store_coupons_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_images" ADD CONSTRAINT "store_images_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_images" ADD CONSTRAINT "store_images_item_id_store_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."store_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_sales" ADD CONSTRAINT "store_sales_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_transaction_lines" ADD CONSTRAINT "store_transaction_lines_transaction_id_store_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."store_transactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_transaction_lines" ADD CONSTRAINT "store_transaction_lines_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_transaction_lines" ADD CONSTRAINT "store_transaction_lines_item_id_store_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."store_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "store_coupons_license_code_key" ON "store_coupons" USING btree ("license_id",lower("code"));--> statement-breakpoint
CREATE INDEX "store_images_item_idx" ON "store_images" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "store_sales_license_window_idx" ON "store_sales" USING btree ("license_id","ends_at");--> statement-breakpoint
CREATE UNIQUE INDEX "store_transaction_lines_position_key" ON "store_transaction_lines" USING btree ("transaction_id","position");--> statement-breakpoint
CREATE INDEX "store_transaction_lines_item_idx" ON "store_transaction_lines" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "store_transactions_license_player_idx" ON "store_transactions" USING btree ("license_id",lower("player_name"));--> statement-breakpoint
CREATE INDEX "store_transactions_coupon_idx" ON "store_transactions" USING btree ("coupon_id") WHERE "store_transactions"."coupon_id" is not null;--> statement-breakpoint
ALTER TABLE "store_transactions" ADD CONSTRAINT "store_transactions_amount_nonneg" CHECK ("store_transactions"."amount_cents" >= 0);--> statement-breakpoint
-- Backfill: every existing transaction becomes a one-line basket with no discount.
UPDATE "store_transactions" SET "subtotal_cents" = "amount_cents";--> statement-breakpoint
INSERT INTO "store_transaction_lines" ("transaction_id", "license_id", "item_id", "item_name", "position", "quantity", "unit_price_cents", "regular_unit_price_cents", "line_cents", "discount_cents", "stock_reserved")
SELECT "id", "license_id", "item_id", "item_name", 0, "quantity", "unit_price_cents", "unit_price_cents", "amount_cents", 0, "stock_reserved" FROM "store_transactions";
