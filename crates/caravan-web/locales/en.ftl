site-tagline = Shop the world, pay in your currency
nav-search-placeholder = Search products
nav-search = Search
nav-ship-to = Ship to
nav-language = Language
nav-currency = Currency
nav-apply = Apply
home-categories = Categories
home-new = New arrivals
home-popular = Popular now
search-title = Results for “{ $query }”
search-browse = All products
search-results = { $count ->
    [one] { $count } product
   *[other] { $count } products
}
search-none = Nothing found. Try other words or fewer filters.
search-typo = No exact matches; showing close ones.
facet-categories = Category
facet-merchants = Store
facet-ship-from = Ships from
facet-price = Price
facet-all = All
facet-price-from = from { $min }
facet-price-range = { $min } – { $max }
sort-label = Sort by
sort-relevance = Relevance
sort-price_asc = Price: low to high
sort-price_desc = Price: high to low
sort-newest = Newest
sort-best_selling = Best selling
page-prev = Previous
page-next = Next
page-of = Page { $page }
product-from = from { $price }
product-in-stock = In stock
product-sold-out = Sold out
product-left = { $count ->
    [one] Only { $count } left
   *[other] { $count } left
}
product-variant = Option
product-ships-from = Ships from { $country }
product-delivery = Delivery to { $country }
product-delivery-days = { $min }–{ $max } days
product-no-delivery = This store does not deliver to { $country }.
product-sold-by = Sold by
product-description = Description
product-details = Details
method-economy = Economy
method-standard = Standard
method-express = Express
free = Free
footer-note = Caravan — an open-source cross-border marketplace
not-found-title = Page not found
not-found-text = There is nothing here. Try searching instead.
