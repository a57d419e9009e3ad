-- A buyer's deal claims, all at once. Checkout prices a buyer's cart against what they claimed
-- of every live deal; a node remembers that for a moment. Reading only the deals of the cart
-- meant a new read whenever the cart named a deal not asked about before (a quarter of the
-- festival's checkouts); reading every live deal's claim of the buyer needs them by buyer.
-- A claim row is inserted once per buyer and deal (later units update it), so the index costs
-- the order writer one insert per first claim.

CREATE INDEX deal_claims_buyer ON deal_claims (buyer_id);
