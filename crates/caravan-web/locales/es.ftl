site-tagline = Compra en todo el mundo, paga en tu moneda
nav-search-placeholder = Buscar productos
nav-search = Buscar
nav-ship-to = Enviar a
nav-language = Idioma
nav-currency = Moneda
nav-apply = Aplicar
home-categories = Categorías
home-new = Novedades
home-popular = Lo más popular
search-title = Resultados de «{ $query }»
search-browse = Todos los productos
search-results = { $count ->
    [one] { $count } producto
   *[other] { $count } productos
}
search-none = No hay resultados. Prueba otras palabras o menos filtros.
search-typo = No hay coincidencias exactas; mostramos resultados parecidos.
facet-categories = Categoría
facet-merchants = Tienda
facet-ship-from = Envío desde
facet-price = Precio
facet-all = Todo
facet-price-from = desde { $min }
facet-price-range = { $min } – { $max }
sort-label = Ordenar por
sort-relevance = Relevancia
sort-price_asc = Precio: de menor a mayor
sort-price_desc = Precio: de mayor a menor
sort-newest = Novedades
sort-best_selling = Más vendidos
page-prev = Anterior
page-next = Siguiente
page-of = Página { $page }
product-from = desde { $price }
product-in-stock = En stock
product-sold-out = Agotado
product-left = { $count ->
    [one] Solo queda { $count }
   *[other] Quedan { $count }
}
product-variant = Opción
product-ships-from = Envío desde { $country }
product-delivery = Entrega en { $country }
product-delivery-days = { $min }–{ $max } días
product-no-delivery = Esta tienda no envía a { $country }.
product-sold-by = Vendido por
product-description = Descripción
product-details = Detalles
method-economy = Económico
method-standard = Estándar
method-express = Exprés
free = Gratis
footer-note = Caravan — un marketplace transfronterizo de código abierto
not-found-title = Página no encontrada
not-found-text = Aquí no hay nada. Prueba a buscar.
