site-tagline = Dünyanın her yerinden alışveriş yapın, kendi para biriminizle ödeyin
nav-search-placeholder = Ürün ara
nav-search = Ara
nav-ship-to = Teslimat ülkesi
nav-language = Dil
nav-currency = Para birimi
nav-apply = Uygula
home-categories = Kategoriler
home-new = Yeni gelenler
home-popular = Şu an popüler
search-title = “{ $query }” için sonuçlar
search-browse = Tüm ürünler
search-results = { $count ->
    [one] { $count } ürün
   *[other] { $count } ürün
}
search-none = Sonuç bulunamadı. Başka kelimeler veya daha az filtre deneyin.
search-typo = Tam eşleşme yok; benzer sonuçlar gösteriliyor.
facet-categories = Kategori
facet-merchants = Mağaza
facet-ship-from = Gönderim yeri
facet-price = Fiyat
facet-all = Tümü
facet-price-from = { $min } ve üzeri
facet-price-range = { $min } – { $max }
sort-label = Sırala
sort-relevance = İlgi düzeyi
sort-price_asc = Fiyat: düşükten yükseğe
sort-price_desc = Fiyat: yüksekten düşüğe
sort-newest = En yeniler
sort-best_selling = En çok satanlar
page-prev = Önceki
page-next = Sonraki
page-of = Sayfa { $page }
product-from = { $price } başlayan fiyatlarla
product-in-stock = Stokta
product-sold-out = Tükendi
product-left = { $count ->
    [one] Son { $count } adet
   *[other] Son { $count } adet
}
product-variant = Seçenek
product-ships-from = Gönderim yeri: { $country }
product-delivery = Teslimat: { $country }
product-delivery-days = { $min }–{ $max } gün
product-no-delivery = Bu mağaza { $country } ülkesine gönderim yapmıyor.
product-sold-by = Satıcı
product-description = Açıklama
product-details = Özellikler
method-economy = Ekonomik
method-standard = Standart
method-express = Ekspres
free = Ücretsiz
footer-note = Caravan — açık kaynaklı, sınır ötesi pazar yeri
not-found-title = Sayfa bulunamadı
not-found-text = Burada bir şey yok. Aramayı deneyin.
