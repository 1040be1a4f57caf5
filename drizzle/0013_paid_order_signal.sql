-- The storefront's widgets show paid orders (paid, delivered, failed). 0012 signalled every status
-- change, so an agent's ack (paid → delivered) or an expiry (pending → expired) dropped the store's
-- cache for nothing, and an order inserted already paid (a grant, a free basket) signalled nothing.
-- Now: signal when an order enters or leaves the paid set, when paid_at changes, and when one is
-- inserted paid.
DROP TRIGGER store_transactions_paid ON store_transactions;
--> statement-breakpoint
CREATE TRIGGER store_transactions_paid AFTER UPDATE ON store_transactions FOR EACH ROW
  WHEN ((OLD.status IN ('paid', 'delivered', 'failed')) IS DISTINCT FROM (NEW.status IN ('paid', 'delivered', 'failed'))
        OR OLD.paid_at IS DISTINCT FROM NEW.paid_at)
  EXECUTE FUNCTION cairn_store_changed();
--> statement-breakpoint
CREATE TRIGGER store_transactions_inserted_paid AFTER INSERT ON store_transactions FOR EACH ROW
  WHEN (NEW.status IN ('paid', 'delivered', 'failed') OR NEW.paid_at IS NOT NULL)
  EXECUTE FUNCTION cairn_store_changed();
