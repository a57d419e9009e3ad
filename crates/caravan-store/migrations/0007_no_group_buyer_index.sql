-- Nothing reads checkout groups by buyer (a buyer's orders come from `orders_buyer`), and on the
-- order writer's hot path this index put every placement at a random page: dropping it took the
-- hot-SKU benchmark from ~6k to ~7.7k orders/s (docs/decisions/0004).

DROP INDEX order_groups_buyer;
