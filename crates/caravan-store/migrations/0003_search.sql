-- Units sold per variant, kept by the same guarded statements that move stock, so "best
-- selling" never needs to sum order lines (which grow without bound at festival volume).
ALTER TABLE variants ADD COLUMN sold BIGINT NOT NULL DEFAULT 0 CHECK (sold >= 0);

UPDATE variants SET sold = COALESCE((
    SELECT SUM(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE l.variant_id = variants.id AND o.status <> 'cancelled'
), 0);
