site-tagline = Achetez dans le monde entier, payez dans votre devise
nav-search-placeholder = Rechercher des produits
nav-search = Rechercher
nav-ship-to = Livrer en
nav-language = Langue
nav-currency = Devise
nav-apply = Appliquer
home-categories = Catégories
home-new = Nouveautés
home-popular = Populaires
search-title = Résultats pour « { $query } »
search-browse = Tous les produits
search-results = { $count ->
    [one] { $count } produit
   *[other] { $count } produits
}
search-none = Aucun résultat. Essayez d’autres mots ou moins de filtres.
search-typo = Aucun résultat exact ; voici des résultats proches.
facet-categories = Catégorie
facet-merchants = Boutique
facet-ship-from = Expédié depuis
facet-price = Prix
facet-all = Tout
facet-price-from = dès { $min }
facet-price-range = { $min } – { $max }
sort-label = Trier par
sort-relevance = Pertinence
sort-price_asc = Prix croissant
sort-price_desc = Prix décroissant
sort-newest = Nouveautés
sort-best_selling = Meilleures ventes
page-prev = Précédent
page-next = Suivant
page-of = Page { $page }
product-from = dès { $price }
product-in-stock = En stock
product-sold-out = Épuisé
product-left = { $count ->
    [one] Plus que { $count } en stock
   *[other] Plus que { $count } en stock
}
product-variant = Option
product-ships-from = Expédié depuis { $country }
product-delivery = Livraison en { $country }
product-delivery-days = { $min } à { $max } jours
product-no-delivery = Cette boutique ne livre pas en { $country }.
product-sold-by = Vendu par
product-description = Description
product-details = Caractéristiques
method-economy = Économique
method-standard = Standard
method-express = Express
free = Gratuit
footer-note = Caravan — une place de marché internationale open source
not-found-title = Page introuvable
not-found-text = Il n’y a rien ici. Essayez la recherche.
