site-tagline = Compra in tutto il mondo, paga nella tua valuta
nav-search-placeholder = Cerca prodotti
nav-search = Cerca
nav-ship-to = Spedisci in
nav-language = Lingua
nav-currency = Valuta
nav-apply = Applica
home-categories = Categorie
home-new = Novità
home-popular = I più popolari
search-title = Risultati per «{ $query }»
search-browse = Tutti i prodotti
search-results = { $count ->
    [one] { $count } prodotto
   *[other] { $count } prodotti
}
search-none = Nessun risultato. Prova altre parole o meno filtri.
search-typo = Nessuna corrispondenza esatta; ecco risultati simili.
facet-categories = Categoria
facet-merchants = Negozio
facet-ship-from = Spedito da
facet-price = Prezzo
facet-all = Tutti
facet-price-from = da { $min }
facet-price-range = { $min } – { $max }
sort-label = Ordina per
sort-relevance = Pertinenza
sort-price_asc = Prezzo crescente
sort-price_desc = Prezzo decrescente
sort-newest = Novità
sort-best_selling = Più venduti
page-prev = Precedente
page-next = Successiva
page-of = Pagina { $page }
product-from = da { $price }
product-in-stock = Disponibile
product-sold-out = Esaurito
product-left = { $count ->
    [one] Ne resta solo { $count }
   *[other] Ne restano { $count }
}
product-variant = Opzione
product-ships-from = Spedito da { $country }
product-delivery = Consegna in { $country }
product-delivery-days = { $min }–{ $max } giorni
product-no-delivery = Questo negozio non spedisce in { $country }.
product-sold-by = Venduto da
product-description = Descrizione
product-details = Dettagli
method-economy = Economica
method-standard = Standard
method-express = Espressa
free = Gratis
footer-note = Caravan — un marketplace internazionale open source
not-found-title = Pagina non trovata
not-found-text = Qui non c’è niente. Prova a cercare.
