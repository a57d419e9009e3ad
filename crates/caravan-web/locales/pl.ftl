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
error-forbidden-role = Ta strona jest dla innej roli: potrzebne jest konto sprzedawcy lub operatora.
error-internal = Coś poszło nie tak po naszej stronie. Spróbuj ponownie za chwilę.
error-prefs = Nieznany język, waluta lub kraj.
error-form = Nie udało się odczytać formularza. Wróć, odśwież stronę i spróbuj ponownie.
nav-admin = Konsola operatora
admin-applications = Wnioski sprzedawców
admin-merchants = Aktywne sklepy
admin-approve = Zatwierdź
admin-reject = Odrzuć
admin-suspend = Zawieś
admin-reason = Powód
admin-rates = Kursy walut (za euro)
admin-rate-set = Ustaw kurs
admin-disputes = Otwarte spory
admin-refund = Zwróć całość
admin-release = Przekaż sklepowi
admin-fees = Prowizja według kategorii (punkty bazowe)
admin-save = Zapisz
admin-none = Nic nie czeka.
seller-products = Twoje produkty
seller-new-product = Nowy produkt
seller-publish = Opublikuj
seller-unpublish = Wycofz
seller-payout = Wypłać dostępne saldo
seller-payout-done = Wypłata wysłana.
field-title = Nazwa
field-description = Opis
field-category = Kategoria
field-price = Cena ({ $currency })
field-stock = Stan magazynowy
field-sku = SKU
field-weight = Waga (g)
status-draft = Szkic
status-published = Opublikowany
order-title = Zamówienie
order-delivery = { $method } · { $days }
order-goods = Towary
order-refunded = Zwrócono
order-timeline = Historia
order-times-utc = Czas w UTC.
dispute-title = Spór
dispute-answer = Odpowiedź sklepu:
dispute-open = Otwórz spór
dispute-help = Nie dotarło lub jest niezgodne z opisem? Napisz do nas: sklep odpowie, a decyzję podejmie nasz zespół. Do tego czasu pieniądze pozostają w depozycie.
dispute-reason = Co poszło nie tak?
dispute-refunded = Zwrócono: { $amount }
dispute-outcome-refund = Zwrócono w całości
dispute-outcome-release = Przekazano sklepowi
dispute-status-open = otwarty
dispute-status-answered = z odpowiedzią
dispute-status-resolved = rozstrzygnięty
field-refund-amount = Kwota ({ $currency })
refund-title = Zwrot
refund-all = wszystko, czego jeszcze nie zwrócono
refund-send = Zwróć pieniądze kupującemu
dispute-your-answer = Twoja odpowiedź dla kupującego
dispute-send-answer = Wyślij odpowiedź
error-amount = Podaj kwotę, np. 12,50.
seller-edit = Edytuj
edit-title = Edycja produktu
edit-saved = Zapisano.
edit-texts = Tytuł i opis
field-language = Język
field-images = Adresy zdjęć, po jednym w wierszu
edit-save = Zapisz
edit-variants = Warianty, ceny i stany
edit-add-variant = Dodaj wariant
field-option = Opcja (np. kolor)
field-option-value = Wartość (np. czerwony)
shipping-title = Stawki wysyłki
shipping-none = Brak stawek: kupujący nie zamówią Twoich produktów, dopóki nie dodasz stawki.
shipping-rest = Reszta świata
shipping-band = do { $grams } g: { $price }
shipping-free-over = za darmo od { $amount }
shipping-remove = Usuń
shipping-add = Dodaj lub zastąp stawkę
shipping-save = Zapisz stawkę
field-destination = Dokąd
field-method = Sposób
field-bands = Cena według wagi, jeden przedział w wierszu: „do gramów, cena”
field-free-over = Za darmo od ({ $currency }, opcjonalnie)
field-min-days = Dostawa, co najmniej (dni)
field-max-days = Dostawa, najwyżej (dni)
seller-payouts = Wypłaty
admin-users = Konta
admin-roles = Role
admin-joined = Od
admin-more = Starsze konta
field-country = Kraj
role-buyer = kupujący
role-merchant = sprzedawca
role-creator = twórca
role-operator = operator
admin-categories = Nowa kategoria
field-slug = Nazwa w adresie (a-z, 0-9, -)
field-parent = Wewnątrz
category-top = Najwyższy poziom
field-name-en = Nazwa po angielsku
field-name-local = Nazwa w tym języku
admin-create-category = Utwórz kategorię
cart-guest = Koszyk jest zapisany na tym urządzeniu. Zaloguj się lub załóż konto, aby złożyć zamówienie: koszyk przejdzie na Twoje konto.
account-addresses = Adresy dostawy
account-no-addresses = Nie masz jeszcze zapisanych adresów. Dodaj adres tutaj albo zaznacz „zapisz” przy zamówieniu.
account-add-address = Dodaj adres
account-save-address = Zapisz adres
account-address-count = { $count ->
    [one] { $count } zapisany adres
    [few] { $count } zapisane adresy
    [many] { $count } zapisanych adresów
   *[other] { $count } zapisanego adresu
}
address-saved = Adres zapisany.
field-line2 = Nr mieszkania (opcjonalnie)
field-phone = Telefon (opcjonalnie)
checkout-save-address = Zapisz ten adres na następny raz
upload-title = Zdjęcia
upload-file = Zdjęcie (PNG, JPEG, WebP lub GIF, do 5 MB)
upload-send = Prześlij
upload-choose = Wybierz zdjęcie do przesłania.
upload-gallery-full = Produkt ma najwyżej 20 zdjęć; najpierw usuń jedno z listy obrazów.
error-invalid-credentials = Nieprawidłowy e-mail lub hasło.
error-account-suspended = To konto jest zawieszone. Skontaktuj się z obsługą platformy.
error-too-many-attempts = Zbyt wiele nieudanych prób. Odczekaj kilka minut i spróbuj ponownie.
error-email-taken = Konto z tym adresem e-mail już istnieje. Zalogować się?
error-invalid-email = To nie jest poprawny adres e-mail.
error-weak-password = Hasło ma od 10 do 128 znaków.
admin-suspend-user = Zawieś
admin-reinstate = Przywróć
admin-suspended = Zawieszone
admin-active = Aktywne
admin-status = Stan
fest-title = Festiwale
fest-deal = Oferta festiwalowa
fest-off = −{ $percent }%
fest-reference = Najniższa cena z 30 dni przed festiwalem: { $price }
fest-ends = Do { $when }
fest-starts = Start { $when }
fest-claimed = Wykupiono { $percent }%
fest-sold-out = Oferta wyprzedana — obowiązuje zwykła cena
fest-limit = Maksymalnie { $count } na kupującego
fest-zone = Czas { $zone }, pokazywany w Twoim czasie lokalnym, jeśli przeglądarka pozwala
fest-deals = Oferty
fest-none = Jeszcze nie ma ofert.
fest-see = Zobacz oferty
phase-announced = Zapowiedziany
phase-enrolment = Trwają zapisy
phase-warm_up = Rozgrzewka
phase-live = Trwa teraz
phase-ended = Zakończony
seller-festival = Festiwale
seller-enrol = Zgłoś ofertę
seller-deals = Twoje oferty
field-variant = Wariant (SKU)
field-deal-price = Cena w ofercie ({ $currency })
field-cap = Zadeklarowane sztuki
field-per-buyer = Na kupującego
field-slot-from = Okno flash od (opcjonalnie)
field-slot-to = Okno flash do
status-pending = Oczekuje
status-approved = Zatwierdzona
status-rejected = Odrzucona
admin-festival = Festiwale
admin-new-campaign = Nowa kampania
field-campaign-name = Nazwa (po angielsku)
field-time-zone = Strefa czasowa
field-starts = Początek (UTC)
field-ends = Koniec (UTC)
field-min-discount = Minimalny rabat (%)
field-min-units = Minimalna liczba sztuk na ofertę
admin-create-campaign = Utwórz kampanię
admin-pending-deals = Oferty czekające na decyzję

## Coupons
nav-coupons = Kupony
nav-back = Wróć
checkout-coupons = Kody kuponów
coupon-how = Wpisz kod kuponu przy zamówieniu. Kupon sklepu dotyczy zamówienia w tym sklepie, kupon platformy całego zakupu; niektóre trzeba najpierw odebrać.
coupon-collect = Odbierz
coupon-collected = Odebrany
coupon-none = Teraz nie ma kuponów.
coupon-new = Nowy kupon
coupon-create = Utwórz kupon
coupon-off = { $amount } taniej
coupon-min-spend = przy zamówieniu od { $amount }
coupon-until = Do { $when }
coupon-scope-store = Od sklepu
coupon-scope-platform = Od platformy
coupon-used = Użyto: { $count }
coupon-mine = Twoje użycia: { $count }
coupon-kind-fixed = Kwota ({ $currency })
coupon-kind-percent = Procent
field-coupon-code = Kod (A–Z, 0–9, -)
field-coupon-kind = Rodzaj
field-coupon-value = Kwota lub procent
field-min-spend = Minimalna kwota ({ $currency })
field-coupon-days = Ważny (dni)
field-budget-uses = Użyć łącznie (puste: bez limitu)
field-coupon-collect = Kupujący najpierw go odbierają
error-invalid-coupon = Sprawdź kupon: kod z 3–32 liter, cyfr lub myślników (jeszcze wolny), kwota lub 0,01–90%, budżety i limit na kupującego od 1 do 9999.
error-coupon-not-applicable = Kupon tu nie działa: sprawdź kod, sklep, minimalną kwotę i daty; jeden kupon sklepu na sklep i jeden kupon platformy na zakup.
error-coupon-exhausted = Budżet tego kuponu się wyczerpał. Usuń go i zamów ponownie.
error-coupon-limit-reached = Użyłeś już tego kuponu tyle razy, ile pozwala.
error-coupon-not-collected = Najpierw odbierz ten kupon (zob. Kupony), potem zamów ponownie.
error-deal-sold-out = Oferta właśnie się wyczerpała. Zamów ponownie w normalnej cenie.
error-deal-limit-reached = Osiągnąłeś limit tej oferty na kupującego.

## Live festival screen
live-title = Festiwal na żywo
live-gmv = Obrót (GMV)
live-orders = Zamówienia
live-rate = Zamówień na sekundę
live-sold-out = Wyprzedane oferty
live-countries = Kraje kupujących
live-deals = Najchętniej kupowane oferty
live-updated = Zaktualizowano
live-none = Nie ma jeszcze kampanii
live-chart = Zamówienia na sekundę w ostatnich dwóch minutach

# Pop-up promotions
promo-title = Promocje wyskakujące
promo-kind = Rodzaj
promo-kind-banner = Baner
promo-kind-notice = Powiadomienie (do zamknięcia)
promo-from = Wyświetlana od (UTC)
promo-to = Wyświetlana do (UTC)
promo-countries = Kraje (kody ISO po przecinku; puste: wszyscy)
promo-language = Język
promo-link = Link (ścieżka w tym serwisie)
promo-text = Tekst
promo-schedule = Zaplanuj promocję
promo-withdraw = Wycofaj
promo-everyone = wszyscy
promo-status-scheduled = zaplanowana
promo-status-showing = wyświetlana
promo-status-ended = zakończona
promo-status-withdrawn = wycofana
promo-dismiss = Zamknij
promo-unknown = Nie ma takiej promocji.

# The waiting room
wait-title = Jesteś w poczekalni
wait-opens = Błyskawiczna okazja zaczyna się za { $seconds } s.
wait-lot = Każdy, kto jest tu przed otwarciem, dostaje miejsce w kolejce w losowaniu: otwieranie kolejnych kart nic nie da.
wait-place = Twoje miejsce w kolejce: { $place }
wait-estimate = Szacowany czas oczekiwania: około { $seconds } s
wait-kept = Twój koszyk i odebrane kupony są zachowane. Strona odświeża się sama.
wait-refresh = Odśwież teraz
wait-full = Czeka tylu kupujących, że kolejka jest pełna: wróć za minutę.

# Discounts on an order
order-discounts = Rabaty
discount-stage-deal = Cena okazji festiwalowej
discount-stage-store_discount = Rabat sklepu
discount-stage-store_coupon = Kupon sklepu
discount-stage-platform_coupon = Kupon serwisu
discount-funder-merchant = finansuje sklep
discount-funder-platform = finansuje serwis

# Store-wide discounts
store-discount-title = Rabat na cały sklep
store-discount-help = Procent zniżki na wszystko w sklepie, gdy kampania trwa: po cenach okazji i przed kuponami; finansuje go twój sklep.
field-store-discount = Rabat (%)
field-store-min-spend = Minimalne zamówienie ({ $currency })
store-discount-give = Daj rabat
store-discount-off = { $percent } przy zamówieniach od { $min }
store-discount-active = aktywny
store-discount-withdrawn = wycofany

# Machine translation
product-machine-translated = Przetłumaczono automatycznie
product-show-original = Pokaż oryginał
product-original-text = Tekst oryginalny ({ $language })
product-show-translation = Pokaż tłumaczenie
card-machine-translated = tłumaczenie automatyczne

# Listing completeness
completeness-title = Kompletność ofert
completeness-summary = Kompletne oferty: { $complete } z { $total }
completeness-destinations = Sprawdzono dla kupujących z: { $countries }
completeness-languages = Języki bez tekstu
completeness-machine = Tłumaczenie maszynowe (popraw)
completeness-other = Zdjęcia, cło, wysyłka
completeness-queued = { $count ->
    [one] { $count } tłumaczenie w kolejce
    [few] { $count } tłumaczenia w kolejce
   *[other] { $count } tłumaczeń w kolejce
}
completeness-images = brak zdjęć
completeness-hs = brak kodu HS
completeness-shipping = brak wysyłki do { $countries }
completeness-complete = kompletna

# Glossary (operator console)
glossary-title = Słownik
glossary-intro = Słowa, które wyszukiwarka dopasowuje w ośmiu językach i których używa wbudowane tłumaczenie. Formy oddzielone przecinkami; pierwsza trafia do tłumaczenia.
glossary-kind = Rodzaj
glossary-kind-noun = Rzeczownik
glossary-kind-modifier = Określenie (materiał, kolor…)
glossary-every-category = Wszystkie kategorie
glossary-forms = formy, oddzielone przecinkami
glossary-add = Dodaj termin
glossary-delete = Usuń

# Connect (first part)
status-suspended = Zawieszony
creator-title = Panel twórcy
creator-intro = Publikuj, udostępniaj linki do tego, co lubisz, i zarabiaj prowizję od sprzedaży. Zgłoś się raz; operator rozpatrzy zgłoszenie.
creator-handle = Nazwa (@nazwa)
creator-languages = Języki publikacji
creator-countries = Kraje odbiorców (kody oddzielone przecinkami)
creator-audience-link = Link do twojego kanału
creator-pitch = O sobie
creator-apply = Zgłoś się
creator-pending = Zgłoszenie czeka na operatora.
creator-links = Twoje linki
creator-link-target = Produkt (prd_…) lub kampania
creator-link-create = Utwórz link
creator-no-links = Brak linków.
creator-link-campaign = Kampania
creator-clicks = { $count ->
    [one] { $count } kliknięcie
    [few] { $count } kliknięcia
   *[other] { $count } kliknięć
}
admin-creators = Twórcy
nav-creator = Dla twórców

# Commission for creators (seller centre)
commission-title = Prowizja dla twórców
commission-intro = Twórca, który przyprowadzi klienta, otrzymuje ten udział w pozycji po rabatach, z twoich przychodów. Obowiązuje najdokładniejsza stawka: produkt, potem kategoria, potem sklep. Od 3% do 50%.
commission-scope = Dotyczy
commission-scope-store = Cały sklep
commission-scope-category = Kategoria
commission-scope-product = Jeden produkt
commission-product = Produkt (prd_…)
commission-percent = Stawka, %
commission-save = Zapisz stawkę
commission-none = Brak stawek: twórcy nic nie zarabiają na twoich produktach.
commission-remove = Usuń
creator-profile-languages = Publikuje w językach: { $languages }
creator-profile-audience = Odbiorcy: { $countries }

## Connect: creator money
checkout-creator-code = Kod twórcy (opcjonalnie)
error-unknown-creator-code = Żaden twórca nie ma tego kodu. Sprawdź go lub zostaw pole puste.
creator-earnings = Zarobki
creator-state-pending = Oczekujące
creator-state-confirmed = Potwierdzone (wstrzymane)
creator-state-available = Dostępne
creator-state-reversed = Cofnięte
creator-currency = Waluta
creator-payable = Do wypłaty teraz: { $amount } (minimum { $minimum })
creator-hold = Prowizja od zakończonego zamówienia jest wstrzymana przez { $days } dni na wypadek zwrotów, potem staje się dostępna.
creator-payout = Wypłać mi
creator-paid = Wypłacono: { $amount }
creator-commissions = Ostatnie prowizje
creator-no-commissions = Nie masz jeszcze prowizji: udostępnij link lub swój kod.
creator-source-link = link
creator-source-code = kod
creator-source-post = post
creator-settings = Twój kod i wypłaty
creator-code = Kod, który kupujący wpisują przy zamówieniu
creator-payout-currency = Wypłaty w
creator-save = Zapisz
admin-referral-flags = Odrzucone polecenia własne
admin-no-flags = Brak.
referral-same-account = to samo konto
referral-same-email = ta sama skrzynka
referral-same-address = ten sam adres dostawy

## Connect: posts and the feed
nav-feed = Tablica
feed-title = Od twórców
feed-newest = Najnowsze
feed-most-bought = Najczęściej kupowane
feed-empty = Nie ma jeszcze postów w twoim języku dla twojego kraju.
feed-more = Więcej
posts-on-product = W postach twórców
post-hidden = Ukryty
creator-posts = Twoje posty
creator-post-language = Język
creator-post-text = Tekst
creator-post-products = Produkty (identyfikatory prd_… lub linki do produktów, po przecinku)
creator-post-publish = Opublikuj
creator-no-posts = Nie ma jeszcze postów.
admin-posts = Posty
admin-hide = Ukryj
admin-show = Pokaż ponownie

## Connect: tiers and leaderboards
creator-tier = Poziom: { $tier } (+{ $bonus }% do każdej stawki) · { $earned } potwierdzone w 90 dni
creator-tier-next = Następny: { $tier } od { $amount }
creator-leaderboard = Ranking miesiąca
creator-leaderboard-empty = W tym miesiącu nie ma jeszcze potwierdzonej sprzedaży.
admin-tiers = Poziomy twórców
admin-tier-name = Nazwa
admin-tier-from = Od (€ w 90 dni)
admin-tier-bonus = Bonus (%)
admin-save-tiers = Zapisz poziomy

## Connect: what creators sold, orders per link
seller-creator-sales = Co sprzedali twórcy
seller-no-creator-sales = Nie ma jeszcze sprzedaży przez twórców.
seller-creator = Twórca
seller-product = Produkt
seller-units = Sztuki
seller-sales = Sprzedaż
seller-commission-paid = Prowizja
creator-link-orders = { $count ->
    [one] { $count } zamówienie
    [few] { $count } zamówienia
   *[other] { $count } zamówień
}
creator-chart = Prowizja dziennie z ostatnich 30 dni (w euro)

# Charity programmes
charity-raised = zebrano
charity-pledged = przyrzeczono, czeka na dostawę
charity-target = Cel: { $amount }
charity-sellers = Sklepy oddające część sprzedaży: { $count }
charity-partner = Razem z { $partner }
charity-refunds-note = Zwroty nigdy nie są liczone.
charity-stores = Sklepy biorące udział
charity-store = Sklep
charity-gives = Przekazuje
charity-remitted = Przekazano partnerowi
charity-terms-percent = { $share } każdej sprzedaży
charity-terms-per-unit = { $amount } za sztukę
cause-state-upcoming = Wkrótce
cause-state-collecting = Trwa zbiórka
cause-state-ended = Zakończona
product-pledge-percent = { $share } tej sprzedaży wspiera „{ $cause }”
product-pledge-per-unit = { $amount } z każdej sprzedanej sztuki wspiera „{ $cause }”
order-pledge = To zamówienie przekazuje { $amount } na „{ $cause }”
order-pledge-pending = po zakończeniu zamówienia
order-pledge-confirmed = potwierdzono
order-pledge-reversed = anulowano wraz ze zwrotem
order-pledge-unpaid = po opłaceniu
seller-charity-title = Dobroczynność
seller-charity-intro = Przekaż część sprzedaży z kampanii na szczytny cel. Kupujący widzą to przy Twoich produktach; pieniądze opuszczają Twój przychód dopiero po zakończeniu zamówienia, a zwroty je oddają.
seller-charity-none = Brak otwartych zbiórek.
seller-charity-your-pledge = Twoja deklaracja: { $terms }
seller-charity-raised = Twoja sprzedaż zebrała { $raised } ({ $pledged } w toku)
seller-charity-kind-percent = Udział w każdej sprzedaży (%)
seller-charity-kind-per-unit = Kwota za sztukę
seller-charity-pledge = Zadeklaruj
seller-charity-withdraw = Wycofaj
admin-charity-title = Zbiórki
admin-charity-reference = Tytuł przelewu
admin-charity-remit = Przekaż partnerowi

# Campaign sites
site-archived = Ta strona kampanii dobiegła końca. Dziękujemy za udział!
site-state-scheduled = Zaplanowana
site-state-upcoming = Wkrótce
site-state-live = Trwa teraz
site-state-ended = Zakończona
site-state-archived = Zarchiwizowana
site-countdown-starts = Start: { $when }
site-countdown-ends = Koniec: { $when }
site-votes = Głosy: { $count }
site-quiz-score = Poprawne odpowiedzi: { $score } z { $of }.
site-quiz-won = Twój kupon { $code } jest w portfelu.
site-quiz-submit = Wyślij odpowiedzi
site-cheer = Kibicuj
site-sign-in-to-take-part = Zaloguj się, aby wziąć udział
admin-sites-title = Strony kampanii
admin-sites-preview = Podgląd
admin-sites-new = Nowa strona
admin-sites-slug = Adres (/c/…)
admin-sites-site-title = Tytuł (angielski)
admin-sites-theme = Motyw
admin-sites-visible-from = Widoczna od
admin-sites-live-from = Start
admin-sites-live-until = Koniec
admin-sites-archived-after = Archiwum po
admin-sites-create = Utwórz stronę
admin-sites-blocks = Bloki
admin-sites-remove = Usuń
admin-sites-block-title = Tytuł
admin-sites-block-body = Tekst
admin-sites-save-text = Zapisz ten język
admin-sites-add-block = Dodaj blok
admin-sites-kind = Rodzaj
admin-sites-language = Język
admin-sites-products = Produkty (wybrane)
admin-sites-ship-from = Wysyłka z
admin-sites-campaign-deals = Okazje kampanii
admin-sites-poll-or-quiz = Ankieta lub quiz
admin-sites-teams = Drużyny (kraje)
admin-sites-add = Dodaj
admin-sites-engagement = Ankiety i quizy
admin-sites-question = Pytanie (angielski)
admin-sites-options = Opcje, jedna w wierszu
admin-sites-closes = Zamknięcie
admin-sites-add-poll = Dodaj ankietę
checkout-round-up = Zaokrąglij moją płatność w górę na rzecz „{ $cause }”
charity-donated = od kupujących
admin-sites-pictures = Obrazy
admin-sites-logo = Logo
admin-sites-hero = Obraz główny
admin-sites-upload = Prześlij
