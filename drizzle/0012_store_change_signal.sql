-- Storefront caches live in each replica's memory; every write that can change what players see
-- (store, categories, items and their stock, sales, the subscription, the license's state, paid
-- orders for the widgets) signals the license id on `cairn_store_changed`. A trigger catches every
-- writer (any replica, the CLI, a migration, SQL by hand), and NOTIFY is sent at COMMIT only.
CREATE FUNCTION cairn_store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('cairn_store_changed', OLD.license_id::text);
  ELSE
    PERFORM pg_notify('cairn_store_changed', NEW.license_id::text);
    IF TG_OP = 'UPDATE' AND OLD.license_id IS DISTINCT FROM NEW.license_id THEN
      PERFORM pg_notify('cairn_store_changed', OLD.license_id::text);
    END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION cairn_license_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cairn_store_changed', OLD.id::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER store_config_changed AFTER INSERT OR UPDATE OR DELETE ON store_config FOR EACH ROW EXECUTE FUNCTION cairn_store_changed();
--> statement-breakpoint
CREATE TRIGGER store_categories_changed AFTER INSERT OR UPDATE OR DELETE ON store_categories FOR EACH ROW EXECUTE FUNCTION cairn_store_changed();
--> statement-breakpoint
CREATE TRIGGER store_items_changed AFTER INSERT OR UPDATE OR DELETE ON store_items FOR EACH ROW EXECUTE FUNCTION cairn_store_changed();
--> statement-breakpoint
CREATE TRIGGER store_sales_changed AFTER INSERT OR UPDATE OR DELETE ON store_sales FOR EACH ROW EXECUTE FUNCTION cairn_store_changed();
--> statement-breakpoint
CREATE TRIGGER webstore_subscriptions_changed AFTER INSERT OR UPDATE OR DELETE ON webstore_subscriptions FOR EACH ROW EXECUTE FUNCTION cairn_store_changed();
--> statement-breakpoint
CREATE TRIGGER store_transactions_paid AFTER UPDATE ON store_transactions FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.paid_at IS DISTINCT FROM NEW.paid_at)
  EXECUTE FUNCTION cairn_store_changed();
--> statement-breakpoint
CREATE TRIGGER licenses_store_changed AFTER UPDATE ON licenses FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.subdomain IS DISTINCT FROM NEW.subdomain)
  EXECUTE FUNCTION cairn_license_changed();
--> statement-breakpoint
CREATE TRIGGER licenses_store_deleted AFTER DELETE ON licenses FOR EACH ROW EXECUTE FUNCTION cairn_license_changed();
