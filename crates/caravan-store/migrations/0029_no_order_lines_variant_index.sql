-- No query finds order lines by variant: lines are read by their order, and the reports that
-- add lines up per variant or deal scan them. The index only served the foreign key's checks
-- on a variant's delete or key change, and variants are never deleted and their ids never
-- change. It cost every order line an index insert in the order writer's transaction.

DROP INDEX order_lines_variant;
