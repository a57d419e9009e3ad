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
product-delivery = Доставка: { $country }
product-delivery-days = { $min }–{ $max } дн.
product-no-delivery = Этот магазин не доставляет в страну { $country }.
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
error-forbidden-role = Эта страница для другой роли: нужен аккаунт продавца или оператора.
error-internal = Что-то пошло не так на нашей стороне. Попробуйте ещё раз чуть позже.
error-prefs = Неизвестный язык, валюта или страна.
error-form = Не удалось прочитать форму. Вернитесь, обновите страницу и попробуйте снова.
nav-admin = Консоль оператора
admin-applications = Заявки продавцов
admin-merchants = Активные магазины
admin-approve = Одобрить
admin-reject = Отклонить
admin-suspend = Приостановить
admin-reason = Причина
admin-rates = Курсы валют (за евро)
admin-rate-set = Установить курс
admin-disputes = Открытые споры
admin-refund = Вернуть полностью
admin-release = Перевести магазину
admin-fees = Комиссия площадки по категориям (б.п.)
admin-save = Сохранить
admin-none = Ничего не ожидает.
seller-products = Ваши товары
seller-new-product = Новый товар
seller-publish = Опубликовать
seller-unpublish = Снять с продажи
seller-payout = Вывести доступный баланс
seller-payout-done = Выплата отправлена.
field-title = Название
field-description = Описание
field-category = Категория
field-price = Цена ({ $currency })
field-stock = Остаток
field-sku = Артикул
field-weight = Вес (г)
status-draft = Черновик
status-published = Опубликован
order-title = Заказ
order-delivery = { $method } · { $days }
order-goods = Товары
order-refunded = Возвращено
order-timeline = История
order-times-utc = Время указано в UTC.
dispute-title = Спор
dispute-answer = Ответ магазина:
dispute-open = Открыть спор
dispute-help = Не получили товар или он не соответствует описанию? Напишите нам: магазин ответит, а решение примет наша команда. Деньги пока остаются на гарантийном счёте.
dispute-reason = Что пошло не так?
dispute-refunded = Возвращено: { $amount }
dispute-outcome-refund = Возвращено полностью
dispute-outcome-release = Передано магазину
dispute-status-open = открыт
dispute-status-answered = есть ответ
dispute-status-resolved = решён
field-refund-amount = Сумма ({ $currency })
refund-title = Возврат
refund-all = всё, что ещё не возвращено
refund-send = Вернуть деньги покупателю
dispute-your-answer = Ваш ответ покупателю
dispute-send-answer = Отправить ответ
error-amount = Введите сумму, например 12,50.
seller-edit = Изменить
edit-title = Редактирование товара
edit-saved = Сохранено.
edit-texts = Название и описание
field-language = Язык
field-images = Адреса изображений, по одному в строке
edit-save = Сохранить
edit-variants = Варианты, цены и остатки
edit-add-variant = Добавить вариант
field-option = Параметр (например, цвет)
field-option-value = Значение (например, красный)
shipping-title = Тарифы доставки
shipping-none = Тарифов пока нет: покупатели не смогут оформить ваши товары, пока вы не добавите тариф.
shipping-rest = Остальной мир
shipping-band = до { $grams } г: { $price }
shipping-free-over = бесплатно от { $amount }
shipping-remove = Удалить
shipping-add = Добавить или заменить тариф
shipping-save = Сохранить тариф
field-destination = Куда
field-method = Способ
field-bands = Цена по весу, по строке на диапазон: «до граммов, цена»
field-free-over = Бесплатно от ({ $currency }, необязательно)
field-min-days = Доставка, не менее (дней)
field-max-days = Доставка, не более (дней)
seller-payouts = Выплаты
admin-users = Учётные записи
admin-roles = Роли
admin-joined = Зарегистрирован
admin-more = Более ранние
field-country = Страна
role-buyer = покупатель
role-merchant = продавец
role-creator = автор
role-operator = оператор
admin-categories = Новая категория
field-slug = Имя в адресе (a-z, 0-9, -)
field-parent = Внутри
category-top = Верхний уровень
field-name-en = Название на английском
field-name-local = Название на этом языке
admin-create-category = Создать категорию
cart-guest = Корзина сохранена на этом устройстве. Войдите или зарегистрируйтесь, чтобы оформить заказ: корзина перейдёт в ваш аккаунт.
account-addresses = Адреса доставки
account-no-addresses = Сохранённых адресов пока нет. Добавьте адрес здесь или отметьте «сохранить» при оформлении заказа.
account-add-address = Добавить адрес
account-save-address = Сохранить адрес
account-address-count = { $count ->
    [one] { $count } сохранённый адрес
    [few] { $count } сохранённых адреса
    [many] { $count } сохранённых адресов
   *[other] { $count } сохранённого адреса
}
address-saved = Адрес сохранён.
field-line2 = Квартира, корпус (необязательно)
field-phone = Телефон (необязательно)
checkout-save-address = Сохранить этот адрес для следующих заказов
upload-title = Фотографии
upload-file = Фото (PNG, JPEG, WebP или GIF, до 5 МБ)
upload-send = Загрузить
upload-choose = Выберите фотографию для загрузки.
upload-gallery-full = У товара не больше 20 фотографий; сначала удалите одну из списка изображений.
error-invalid-credentials = Неверный e-mail или пароль.
error-account-suspended = Этот аккаунт заблокирован. Свяжитесь с маркетплейсом.
error-too-many-attempts = Слишком много неудачных попыток. Подождите несколько минут и попробуйте снова.
error-email-taken = Аккаунт с этим e-mail уже существует. Может быть, войти?
error-invalid-email = Это не похоже на адрес e-mail.
error-weak-password = Пароль должен содержать от 10 до 128 символов.
admin-suspend-user = Заблокировать
admin-reinstate = Разблокировать
admin-suspended = Заблокирован
admin-active = Активен
admin-status = Статус
fest-title = Фестивали
fest-deal = Акция фестиваля
fest-off = −{ $percent }%
fest-reference = Самая низкая цена за 30 дней до фестиваля: { $price }
fest-ends = До { $when }
fest-starts = Начало { $when }
fest-claimed = Разобрано { $percent }%
fest-sold-out = Акция закончилась — действует обычная цена
fest-limit = Не более { $count } в одни руки
fest-zone = Время { $zone }; браузер покажет ваше местное время
fest-deals = Акции
fest-none = Акций пока нет.
fest-see = Смотреть акции
phase-announced = Объявлен
phase-enrolment = Идёт запись продавцов
phase-warm_up = Разогрев
phase-live = Идёт сейчас
phase-ended = Завершён
seller-festival = Фестивали
seller-enrol = Записать акцию
seller-deals = Ваши акции
field-variant = Вариант (артикул)
field-deal-price = Цена по акции ({ $currency })
field-cap = Выделено единиц
field-per-buyer = В одни руки
field-slot-from = Флеш-окно с (необязательно)
field-slot-to = Флеш-окно до
status-pending = На рассмотрении
status-approved = Одобрено
status-rejected = Отклонено
admin-festival = Фестивали
admin-new-campaign = Новая кампания
field-campaign-name = Название (на английском)
field-time-zone = Часовой пояс
field-starts = Начало (UTC)
field-ends = Конец (UTC)
field-min-discount = Минимальная скидка (%)
field-min-units = Минимум единиц на акцию
admin-create-campaign = Создать кампанию
admin-pending-deals = Акции, ожидающие решения

## Coupons
nav-coupons = Купоны
nav-back = Назад
checkout-coupons = Коды купонов
coupon-how = Введите код купона при оформлении заказа. Купон магазина действует на заказ этого магазина, купон маркетплейса — на весь заказ; некоторые купоны нужно сначала получить.
coupon-collect = Получить
coupon-collected = Получен
coupon-none = Сейчас купонов нет.
coupon-new = Новый купон
coupon-create = Создать купон
coupon-off = Скидка { $amount }
coupon-min-spend = на заказ от { $amount }
coupon-until = До { $when }
coupon-scope-store = От магазина
coupon-scope-platform = От маркетплейса
coupon-used = Использовано: { $count }
coupon-mine = Ваши использования: { $count }
coupon-kind-fixed = Сумма ({ $currency })
coupon-kind-percent = Процент
field-coupon-code = Код (A–Z, 0–9, -)
field-coupon-kind = Вид
field-coupon-value = Сумма или процент
field-min-spend = Минимальная сумма ({ $currency })
field-coupon-days = Действует (дней)
field-budget-uses = Всего использований (пусто — без ограничения)
field-coupon-collect = Покупатели сначала получают его
error-invalid-coupon = Проверьте купон: код из 3–32 латинских букв, цифр или дефисов (ещё не занятый), сумма или 0,01–90 %, бюджеты и лимит на покупателя от 1 до 9999.
error-coupon-not-applicable = Купон здесь не действует: проверьте код, магазин, минимальную сумму и даты; один купон магазина на магазин и один купон маркетплейса на заказ.
error-coupon-exhausted = Бюджет этого купона исчерпан. Уберите его и оформите заказ снова.
error-coupon-limit-reached = Вы уже использовали этот купон максимальное число раз.
error-coupon-not-collected = Сначала получите этот купон (раздел «Купоны»), затем оформите заказ снова.
error-deal-sold-out = Акционные товары только что закончились. Оформите заказ снова по обычной цене.
error-deal-limit-reached = Вы достигли лимита этой акции на покупателя.

## Live festival screen
live-title = Фестиваль в реальном времени
live-gmv = Оборот (GMV)
live-orders = Заказы
live-rate = Заказов в секунду
live-sold-out = Распроданные акции
live-countries = Страны покупателей
live-deals = Акции по доле продаж
live-updated = Обновлено
live-none = Кампаний пока нет
live-chart = Заказов в секунду за последние две минуты

# Pop-up promotions
promo-title = Всплывающие акции
promo-kind = Тип
promo-kind-banner = Баннер
promo-kind-notice = Уведомление (можно закрыть)
promo-from = Показывать с (UTC)
promo-to = Показывать до (UTC)
promo-countries = Страны (коды ISO через запятую; пусто — все)
promo-language = Язык
promo-link = Ссылка (путь на этом сайте)
promo-text = Текст
promo-schedule = Запланировать акцию
promo-withdraw = Снять
promo-everyone = все
promo-status-scheduled = запланирована
promo-status-showing = показывается
promo-status-ended = завершена
promo-status-withdrawn = снята
promo-dismiss = Закрыть
promo-unknown = Такой акции нет.

# The waiting room
wait-title = Вы в зале ожидания
wait-opens = Молниеносная скидка начнётся через { $seconds } с.
wait-lot = Все, кто пришёл до начала, получают место в очереди по жребию: открывать больше вкладок бесполезно.
wait-place = Ваше место в очереди: { $place }
wait-estimate = Примерное ожидание: около { $seconds } с
wait-kept = Ваша корзина и полученные купоны сохранены. Страница обновляется сама.
wait-refresh = Обновить сейчас
wait-full = Ожидающих так много, что очередь заполнена: вернитесь, пожалуйста, через минуту.

# Discounts on an order
order-discounts = Скидки
discount-stage-deal = Цена акции фестиваля
discount-stage-store_discount = Скидка магазина
discount-stage-store_coupon = Купон магазина
discount-stage-platform_coupon = Купон маркетплейса
discount-funder-merchant = за счёт магазина
discount-funder-platform = за счёт маркетплейса

# Store-wide discounts
store-discount-title = Скидка на весь магазин
store-discount-help = Процент скидки на все товары магазина, пока идёт кампания: после цен акций и до купонов; её оплачивает ваш магазин.
field-store-discount = Скидка (%)
field-store-min-spend = Минимальный заказ ({ $currency })
store-discount-give = Дать скидку
store-discount-off = { $percent } на заказы от { $min }
store-discount-active = действует
store-discount-withdrawn = снята

# Machine translation
product-machine-translated = Переведено автоматически
product-show-original = Показать оригинал
product-original-text = Оригинальный текст ({ $language })
product-show-translation = Показать перевод
card-machine-translated = автоперевод

# Listing completeness
completeness-title = Полнота карточек
completeness-summary = Заполнено { $complete } из { $total } карточек
completeness-destinations = Проверено для покупателей из: { $countries }
completeness-languages = Языки без текста
completeness-machine = Машинный перевод (можно исправить)
completeness-other = Фото, таможня, доставка
completeness-queued = { $count ->
    [one] { $count } перевод в очереди
    [few] { $count } перевода в очереди
   *[other] { $count } переводов в очереди
}
completeness-images = нет фото
completeness-hs = нет кода ТН ВЭД
completeness-shipping = нет доставки в { $countries }
completeness-complete = заполнено

# Glossary (operator console)
glossary-title = Глоссарий
glossary-intro = Слова, по которым поиск находит товары на всех восьми языках и по которым работает встроенный перевод. Формы через запятую; первая используется в переводе.
glossary-kind = Тип
glossary-kind-noun = Существительное
glossary-kind-modifier = Признак (материал, цвет…)
glossary-every-category = Все категории
glossary-forms = формы через запятую
glossary-add = Добавить термин
glossary-delete = Удалить

# Connect (first part)
status-suspended = Приостановлен
creator-title = Кабинет автора
creator-intro = Публикуйте, делитесь ссылками на то, что любите, и получайте комиссию с продаж. Подайте заявку — её рассмотрит оператор.
creator-handle = Имя (@name)
creator-languages = Языки публикаций
creator-countries = Страны аудитории (коды через запятую)
creator-audience-link = Ссылка на ваш канал
creator-pitch = О себе
creator-apply = Подать заявку
creator-pending = Заявка ждёт решения оператора.
creator-links = Ваши ссылки
creator-link-target = Товар (prd_…) или акция
creator-link-create = Создать ссылку
creator-no-links = Ссылок пока нет.
creator-link-campaign = Акция
creator-clicks = { $count ->
    [one] { $count } переход
    [few] { $count } перехода
   *[other] { $count } переходов
}
admin-creators = Авторы
nav-creator = Авторам

# Commission for creators (seller centre)
commission-title = Комиссия авторам
commission-intro = Автор, который привёл покупателя, получает эту долю от суммы позиции после скидок — из вашей выручки. Действует самая точная ставка: товар, затем категория, затем магазин. От 3% до 50%.
commission-scope = Для чего
commission-scope-store = Весь магазин
commission-scope-category = Категория
commission-scope-product = Один товар
commission-product = Товар (prd_…)
commission-percent = Ставка, %
commission-save = Сохранить ставку
commission-none = Ставок нет: авторы ничего не получают с ваших товаров.
commission-remove = Удалить
creator-profile-languages = Публикует на: { $languages }
creator-profile-audience = Аудитория: { $countries }

## Connect: creator money
checkout-creator-code = Код автора (необязательно)
error-unknown-creator-code = Автора с таким кодом нет. Проверьте код или оставьте поле пустым.
creator-earnings = Заработок
creator-state-pending = Ожидает
creator-state-confirmed = Подтверждено (удерживается)
creator-state-available = Доступно
creator-state-reversed = Отменено
creator-currency = Валюта
creator-payable = Можно вывести: { $amount } (минимум { $minimum })
creator-hold = Комиссия с завершённого заказа удерживается { $days } дн. на случай возврата, затем становится доступной.
creator-payout = Вывести
creator-paid = Выплачено: { $amount }
creator-commissions = Последние комиссии
creator-no-commissions = Комиссий пока нет: поделитесь ссылкой или своим кодом.
creator-source-link = ссылка
creator-source-code = код
creator-source-post = публикация
creator-settings = Ваш код и выплаты
creator-code = Код, который покупатели вводят при оформлении
creator-payout-currency = Валюта выплат
creator-save = Сохранить
admin-referral-flags = Отклонённые покупки по своей же ссылке
admin-no-flags = Нет.
referral-same-account = тот же аккаунт
referral-same-email = тот же почтовый ящик
referral-same-address = тот же адрес доставки

## Connect: posts and the feed
nav-feed = Лента
feed-title = От авторов
feed-newest = Новые
feed-most-bought = Самые покупаемые
feed-empty = Пока нет публикаций на вашем языке для вашей страны.
feed-more = Ещё
posts-on-product = В публикациях авторов
post-hidden = Скрыто
creator-posts = Ваши публикации
creator-post-language = Язык
creator-post-text = Текст
creator-post-products = Товары (id prd_… или ссылки на товары через запятую)
creator-post-publish = Опубликовать
creator-no-posts = Публикаций пока нет.
admin-posts = Публикации
admin-hide = Скрыть
admin-show = Показать снова

## Connect: tiers and leaderboards
creator-tier = Уровень: { $tier } (+{ $bonus }% к каждой ставке) · { $earned } подтверждено за 90 дней
creator-tier-next = Следующий: { $tier } от { $amount }
creator-leaderboard = Рейтинг месяца
creator-leaderboard-empty = В этом месяце подтверждённых продаж пока нет.
admin-tiers = Уровни авторов
admin-tier-name = Название
admin-tier-from = От (€ за 90 дней)
admin-tier-bonus = Бонус (%)
admin-save-tiers = Сохранить уровни

## Connect: what creators sold, orders per link
seller-creator-sales = Что продали авторы
seller-no-creator-sales = Продаж через авторов пока нет.
seller-creator = Автор
seller-product = Товар
seller-units = Штук
seller-sales = Продажи
seller-commission-paid = Комиссия
creator-link-orders = { $count ->
    [one] { $count } заказ
    [few] { $count } заказа
   *[other] { $count } заказов
}
creator-chart = Комиссия по дням за последние 30 дней (в евро)

# Charity programmes
charity-raised = собрано
charity-pledged = обещано, ждёт доставки
charity-target = Цель: { $amount }
charity-sellers = Магазинов, отдающих часть продаж: { $count }
charity-partner = Вместе с { $partner }
charity-refunds-note = Возвращённые покупки не учитываются.
charity-stores = Участвующие магазины
charity-store = Магазин
charity-gives = Отдаёт
charity-remitted = Передано партнёру
charity-terms-percent = { $share } с каждой продажи
charity-terms-per-unit = { $amount } за каждый товар
cause-state-upcoming = Скоро начнётся
cause-state-collecting = Идёт сбор
cause-state-ended = Завершён
product-pledge-percent = { $share } от этой покупки идёт на «{ $cause }»
product-pledge-per-unit = { $amount } с каждой проданной штуки идёт на «{ $cause }»
order-pledge = Этот заказ передаёт { $amount } на «{ $cause }»
order-pledge-pending = после завершения заказа
order-pledge-confirmed = подтверждено
order-pledge-reversed = отменено вместе с возвратом
order-pledge-unpaid = после оплаты
seller-charity-title = Благотворительность
seller-charity-intro = Отдайте часть продаж кампании на доброе дело. Покупатели видят это на ваших товарах; деньги списываются из выручки только после завершения заказа, а при возврате возвращаются.
seller-charity-none = Открытых сборов нет.
seller-charity-your-pledge = Ваше обязательство: { $terms }
seller-charity-raised = Ваши продажи собрали { $raised } (ожидается { $pledged })
seller-charity-kind-percent = Доля каждой продажи (%)
seller-charity-kind-per-unit = Сумма за товар
seller-charity-pledge = Пообещать
seller-charity-withdraw = Отозвать
admin-charity-title = Благотворительные сборы
admin-charity-reference = Номер перевода
admin-charity-remit = Передать партнёру

# Campaign sites
site-archived = Этот сайт кампании завершён. Спасибо за участие!
site-state-scheduled = Запланирован
site-state-upcoming = Скоро
site-state-live = Идёт сейчас
site-state-ended = Завершён
site-state-archived = В архиве
site-countdown-starts = Начало: { $when }
site-countdown-ends = Окончание: { $when }
site-votes = Голосов: { $count }
site-quiz-score = Верных ответов: { $score } из { $of }.
site-quiz-won = Ваш купон { $code } уже в кошельке.
site-quiz-submit = Отправить ответы
site-cheer = Болеть
site-sign-in-to-take-part = Войдите, чтобы участвовать
admin-sites-title = Сайты кампаний
admin-sites-preview = Предпросмотр
admin-sites-new = Новый сайт
admin-sites-slug = Адрес (/c/…)
admin-sites-site-title = Название (англ.)
admin-sites-theme = Тема
admin-sites-visible-from = Виден с
admin-sites-live-from = Начало
admin-sites-live-until = Окончание
admin-sites-archived-after = В архив после
admin-sites-create = Создать сайт
admin-sites-blocks = Блоки
admin-sites-remove = Удалить
admin-sites-block-title = Заголовок
admin-sites-block-body = Текст
admin-sites-save-text = Сохранить язык
admin-sites-add-block = Добавить блок
admin-sites-kind = Тип
admin-sites-language = Язык
admin-sites-products = Товары (выбранные)
admin-sites-ship-from = Отправка из
admin-sites-campaign-deals = Акции кампании
admin-sites-poll-or-quiz = Опрос или викторина
admin-sites-teams = Команды (страны)
admin-sites-add = Добавить
admin-sites-engagement = Опросы и викторины
admin-sites-question = Вопрос (англ.)
admin-sites-options = Варианты, по одному в строке
admin-sites-closes = Закрывается
admin-sites-add-poll = Добавить опрос
checkout-round-up = Округлить платёж вверх до целого в пользу «{ $cause }»
charity-donated = пожертвовали покупатели
admin-sites-pictures = Изображения
admin-sites-logo = Логотип
admin-sites-hero = Главное изображение
admin-sites-upload = Загрузить
