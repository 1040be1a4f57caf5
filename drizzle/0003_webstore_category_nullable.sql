ALTER TABLE "store_items" DROP CONSTRAINT "store_items_category_id_store_categories_id_fk";
--> statement-breakpoint
ALTER TABLE "store_items" ALTER COLUMN "category_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "store_items" ADD CONSTRAINT "store_items_category_id_store_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."store_categories"("id") ON DELETE set null ON UPDATE no action;