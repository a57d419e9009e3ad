site-tagline = Покупайте по всему миру, платите в своей валюте
nav-search-placeholder = Поиск товаров
nav-search = Найти
nav-ship-to = Доставка в
nav-language = Язык
nav-currency = Валюта
nav-apply = Применить
home-categories = Категории
home-new = Новинки
home-popular = Популярное
search-title = Результаты по запросу «{ $query }»
search-browse = Все товары
search-results = { $count ->
    [one] { $count } товар
    [few] { $count } товара
    [many] { $count } товаров
   *[other] { $count } товара
}
search-none = Ничего не найдено. Попробуйте другие слова или меньше фильтров.
search-typo = Точных совпадений нет; показываем похожие.
facet-categories = Категория
facet-merchants = Магазин
facet-ship-from = Отправка из
facet-price = Цена
facet-all = Все
facet-price-from = от { $min }
facet-price-range = { $min } – { $max }
sort-label = Сортировка
sort-relevance = По релевантности
sort-price_asc = Сначала дешёвые
sort-price_desc = Сначала дорогие
sort-newest = Сначала новые
sort-best_selling = Хиты продаж
page-prev = Назад
page-next = Далее
page-of = Страница { $page }
product-from = от { $price }
product-in-stock = В наличии
product-sold-out = Нет в наличии
product-left = { $count ->
    [one] Осталась { $count } штука
    [few] Осталось { $count } штуки
    [many] Осталось { $count } штук
   *[other] Осталось { $count } штуки
}
product-variant = Вариант
product-ships-from = Отправка из страны { $country }
product-delivery = Доставка в { $country }
product-delivery-days = { $min }–{ $max } дн.
product-no-delivery = Этот магазин не доставляет в { $country }.
product-sold-by = Продавец
product-description = Описание
product-details = Характеристики
method-economy = Эконом
method-standard = Стандартная
method-express = Экспресс
free = Бесплатно
footer-note = Caravan — открытый трансграничный маркетплейс
not-found-title = Страница не найдена
not-found-text = Здесь ничего нет. Попробуйте поиск.
nav-account = Аккаунт
nav-login = Войти
nav-register = Регистрация
nav-logout = Выйти
nav-cart = Корзина
nav-orders = Заказы
nav-seller = Кабинет продавца
field-email = Эл. почта
field-password = Пароль
field-name = Имя
field-line1 = Адрес
field-city = Город
field-postal = Индекс
field-quantity = Количество
field-carrier = Перевозчик
field-tracking = Трек-номер
field-payment = Оплата
pay-sandbox = Тестовая карта (песочница)
product-add-to-cart = В корзину
cart-empty = Корзина пуста.
cart-total = Итого за товары: { $total }
cart-remove = Удалить
cart-shipping = Доставка
checkout-title = Доставка и оплата
checkout-pay = Оформить и оплатить
orders-none = Заказов пока нет.
order-placed = Спасибо! Заказ оформлен.
order-confirm = Подтвердить получение
order-ship = Отправить
order-deliver = Отметить доставленным
order-tracking = Отслеживание: { $carrier } { $number }
status-awaiting_payment = Ожидает оплаты
status-paid = Оплачен
status-shipped = Отправлен
status-delivered = Доставлен
status-completed = Завершён
status-cancelled = Отменён
status-refunded = Возвращён
seller-balance = Доступно: { $available } · На удержании: { $escrow }
seller-orders = Заказы магазина
error-title = Требуется ваше внимание
error-back = Вернуться
