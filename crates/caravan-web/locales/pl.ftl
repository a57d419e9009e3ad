site-tagline = Kupuj na całym świecie, płać w swojej walucie
nav-search-placeholder = Szukaj produktów
nav-search = Szukaj
nav-ship-to = Dostawa do
nav-language = Język
nav-currency = Waluta
nav-apply = Zastosuj
home-categories = Kategorie
home-new = Nowości
home-popular = Popularne
search-title = Wyniki dla „{ $query }”
search-browse = Wszystkie produkty
search-results = { $count ->
    [one] { $count } produkt
    [few] { $count } produkty
    [many] { $count } produktów
   *[other] { $count } produktu
}
search-none = Nic nie znaleziono. Spróbuj innych słów lub mniej filtrów.
search-typo = Brak dokładnych wyników; pokazujemy podobne.
facet-categories = Kategoria
facet-merchants = Sklep
facet-ship-from = Wysyłka z
facet-price = Cena
facet-all = Wszystkie
facet-price-from = od { $min }
facet-price-range = { $min } – { $max }
sort-label = Sortuj
sort-relevance = Trafność
sort-price_asc = Cena: od najniższej
sort-price_desc = Cena: od najwyższej
sort-newest = Najnowsze
sort-best_selling = Bestsellery
page-prev = Poprzednia
page-next = Następna
page-of = Strona { $page }
product-from = od { $price }
product-in-stock = Dostępny
product-sold-out = Wyprzedany
product-left = { $count ->
    [one] Została { $count } sztuka
    [few] Zostały { $count } sztuki
    [many] Zostało { $count } sztuk
   *[other] Zostało { $count } sztuki
}
product-variant = Wariant
product-ships-from = Wysyłka z: { $country }
product-delivery = Dostawa do: { $country }
product-delivery-days = { $min }–{ $max } dni
product-no-delivery = Ten sklep nie wysyła do: { $country }.
product-sold-by = Sprzedawca
product-description = Opis
product-details = Szczegóły
method-economy = Ekonomiczna
method-standard = Standardowa
method-express = Ekspresowa
free = Za darmo
footer-note = Caravan — otwarty, międzynarodowy marketplace
not-found-title = Nie znaleziono strony
not-found-text = Niczego tu nie ma. Spróbuj wyszukiwania.
nav-account = Konto
nav-login = Zaloguj się
nav-register = Załóż konto
nav-logout = Wyloguj się
nav-cart = Koszyk
nav-orders = Zamówienia
nav-seller = Panel sprzedawcy
field-email = E-mail
field-password = Hasło
field-name = Imię i nazwisko
field-line1 = Adres
field-city = Miasto
field-postal = Kod pocztowy
field-quantity = Ilość
field-carrier = Przewoźnik
field-tracking = Numer przesyłki
field-payment = Płatność
pay-sandbox = Karta testowa (sandbox)
product-add-to-cart = Dodaj do koszyka
cart-empty = Koszyk jest pusty.
cart-total = Razem za produkty: { $total }
cart-remove = Usuń
cart-shipping = Dostawa
checkout-title = Dostawa i płatność
checkout-pay = Zamów i zapłać
orders-none = Nie masz jeszcze zamówień.
order-placed = Dziękujemy! Zamówienie złożone.
order-confirm = Potwierdź odbiór
order-ship = Wyślij
order-deliver = Oznacz jako dostarczone
order-tracking = Śledzenie: { $carrier } { $number }
status-awaiting_payment = Oczekuje na płatność
status-paid = Opłacone
status-shipped = Wysłane
status-delivered = Dostarczone
status-completed = Zakończone
status-cancelled = Anulowane
status-refunded = Zwrócone
seller-balance = Dostępne: { $available } · W depozycie: { $escrow }
seller-orders = Zamówienia sklepu
error-title = Coś wymaga uwagi
error-back = Wróć
