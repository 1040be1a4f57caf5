ALTER TABLE "store_config" ADD COLUMN "demo_store" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- An embedded database seeded before this column existed: its demo store (the seed's subdomain,
-- owner and placeholder client id together) becomes the demo store. Production refuses "demo" anyway.
UPDATE "store_config" SET "demo_store" = true, "paypal_mode" = 'demo'
WHERE "paypal_client_id" = 'demo-sandbox-client-id'
  AND "license_id" IN (SELECT l."id" FROM "licenses" l JOIN "users" u ON u."id" = l."user_id" WHERE l."subdomain" = 'demo' AND u."email" = 'demo@cairn.local');
