//! The demo's charity: "Learn to swim", teaching children in Africa to swim with a swimming
//! confederation, in the eight languages. Four stores from different countries (IT, ES, TR,
//! FR) pledged before it started twenty days ago; demo buyers bought from them since (orders placed and moved by
//! a market whose clock is set then): some completed (raised), one of them half refunded (its
//! share taken back), a part already sent to the partner, and this week's still pending (one
//! buyer also gave 5 of their own currency at checkout).

use super::festival::demo_request;
use crate::accounts::Actor;
use crate::charity::meter::RemitInput;
use crate::charity::{CauseInput, CauseTextInput, PledgeInput};
use crate::clock::ManualClock;
use crate::idempotency::IdempotencyKey;
use crate::orders::ShipInput;
use crate::{Market, MarketError, DAY_MS};
use caravan_domain::{rfc3339, Locale};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The cause's name and description in each language.
const TEXTS: &[(&str, &str, &str)] = &[
    ("en", "Learn to swim", "Every child should be safe in the water. With the Swimming Confederation of Africa, the Winter Youth Games fund swimming lessons for children in coastal and lake villages: instructors, pool time and life jackets."),
    ("ru", "Научись плавать", "Каждый ребёнок должен быть в безопасности на воде. Вместе с Конфедерацией плавания Африки Зимние юношеские игры оплачивают уроки плавания для детей из прибрежных и озёрных деревень: тренеров, бассейн и спасательные жилеты."),
    ("fr", "Apprendre à nager", "Chaque enfant doit être en sécurité dans l'eau. Avec la Confédération africaine de natation, les Jeux de la jeunesse d'hiver financent des leçons de natation pour les enfants des villages côtiers et lacustres : moniteurs, heures de piscine et gilets de sauvetage."),
    ("es", "Aprender a nadar", "Todo niño debería estar seguro en el agua. Con la Confederación Africana de Natación, los Juegos Juveniles de Invierno financian clases de natación para niños de aldeas costeras y lacustres: monitores, horas de piscina y chalecos salvavidas."),
    ("pl", "Naucz się pływać", "Każde dziecko powinno być bezpieczne w wodzie. Razem z Afrykańską Konfederacją Pływacką Zimowe Igrzyska Młodzieży finansują lekcje pływania dla dzieci z wiosek nad morzem i jeziorami: instruktorów, basen i kamizelki ratunkowe."),
    ("it", "Imparare a nuotare", "Ogni bambino deve essere al sicuro in acqua. Con la Confederazione africana di nuoto, i Giochi invernali della gioventù finanziano lezioni di nuoto per i bambini dei villaggi costieri e lacustri: istruttori, ore in piscina e giubbotti di salvataggio."),
    ("tr", "Yüzmeyi öğren", "Her çocuk suda güvende olmalı. Afrika Yüzme Konfederasyonu ile Kış Gençlik Oyunları, kıyı ve göl köylerindeki çocuklar için yüzme derslerini finanse ediyor: eğitmenler, havuz saatleri ve can yelekleri."),
    ("zh", "学会游泳", "每个孩子都应该在水中安全。冬季青年运动会与非洲游泳联合会合作，为沿海和湖边村庄的孩子资助游泳课：教练、泳池时间和救生衣。"),
];

/// What the first four stores pledge: a share in basis points, or (the third) 1.00 a unit.
const PLEDGES: [(&str, i64); 4] = [
    ("percent", 1000),
    ("percent", 500),
    ("per_unit", 100),
    ("percent", 800),
];

impl Market {
    /// The demo's cause, pledges and their money (see the module's documentation); its slug
    /// and a product of each pledging store.
    pub(super) async fn seed_charity(
        &self,
        operator: &Actor,
        stores: &[Actor],
        buyers: &[(Actor, &'static str)],
    ) -> Result<(String, Vec<String>), MarketError> {
        let now = self.now();
        let clock = Arc::new(ManualClock::new(now - 25 * DAY_MS));
        let then = self.at_clock(clock.clone());
        let cause = then
            .create_cause(operator, cause_input(now), Locale::En)
            .await?;
        let variants = then.demo_pledges(&cause.id, stores).await?;
        // Eighteen days ago: two orders from each pledging store, completed three days later.
        clock.advance(7 * DAY_MS);
        let mut done = Vec::new();
        for (i, (store, v)) in variants.iter().enumerate() {
            for n in 0..2 {
                let b = (i + n) % buyers.len();
                let key = format!("demo-charity-{i}-{n}");
                done.push((
                    *store,
                    b,
                    then.charity_order(buyers, b, v, &key, None).await?,
                ));
            }
        }
        clock.advance(3 * DAY_MS);
        for (store, b, order) in &done {
            then.ship(store, order, demo_parcel(order)).await?;
            then.deliver(store, order).await?;
            then.confirm_receipt(&buyers[*b].0, order).await?;
        }
        // One of them half refunded after it completed: its share of the pledge goes back.
        if let Some((store, _, order)) = done.first() {
            let why = ("One of the two was damaged", "demo-charity-refund");
            then.demo_refund_half(store, order, why).await?;
        }
        // Ten days ago the operator sent what was raised to the partner.
        clock.advance(5 * DAY_MS);
        let remit = RemitInput {
            reference: "LTS-TRANSFER-001".into(),
        };
        then.remit(operator, &cause.id, remit).await?;
        // This week: more sales, paid and not delivered yet (pending).
        clock.advance(now - 3 * DAY_MS - then.now());
        for (i, (_, v)) in variants.iter().enumerate() {
            let b = (i + 3) % buyers.len();
            // The first of them also gives 5 of their own currency.
            let gift = (i == 0).then(|| crate::checkout::DonationInput {
                cause: cause.id.clone(),
                kind: "fixed".into(),
                amount_minor: Some(500),
            });
            then.charity_order(buyers, b, v, &format!("demo-charity-new-{i}"), gift)
                .await?;
        }
        let mut products = Vec::new();
        for (_, v) in &variants {
            if let Some(record) = self.store.variant(v).await? {
                products.push(record.product_id);
            }
        }
        Ok((cause.slug, products))
    }

    /// The stores in Italy, Spain, Turkey and France pledge (the Russian one's balance stays
    /// untouched for the storefront's own walk-through); each with a variant to sell.
    async fn demo_pledges<'a>(
        &self,
        cause: &str,
        stores: &'a [Actor],
    ) -> Result<Vec<(&'a Actor, String)>, MarketError> {
        let mut variants = Vec::new();
        let givers = [0, 1, 2, 5].iter().filter_map(|i| stores.get(*i));
        for (store, (kind, value)) in givers.zip(PLEDGES) {
            let p = PledgeInput {
                kind: kind.to_owned(),
                value,
            };
            self.pledge(store, cause, p, Locale::En).await?;
            if let Some((v, _)) = self.deal_candidates(store).await?.into_iter().next() {
                variants.push((store, v));
            }
        }
        Ok(variants)
    }

    /// Demo buyer `b` buys one unit of `variant`, giving `donation` if any; the order.
    async fn charity_order(
        &self,
        buyers: &[(Actor, &'static str)],
        b: usize,
        variant: &str,
        key: &str,
        donation: Option<crate::checkout::DonationInput>,
    ) -> Result<String, MarketError> {
        let (buyer, country) = &buyers[b];
        let mut req = demo_request(b, country, variant, 1);
        req.donation = donation;
        let idem = IdempotencyKey::parse(Some(key))?;
        let placed = self.checkout(buyer, &idem, key, req, Locale::En).await?;
        let v: serde_json::Value =
            serde_json::from_str(&placed.body).map_err(|e| MarketError::internal(e.to_string()))?;
        Ok(v["orders"][0]["id"].as_str().unwrap_or_default().to_owned())
    }
}

fn demo_parcel(order: &str) -> ShipInput {
    ShipInput {
        carrier: "DHL".into(),
        tracking_number: format!("LTS{}", &order[order.len().saturating_sub(6)..]),
    }
}

/// The cause: collecting from twenty days ago for a month, a €20,000 goal.
fn cause_input(now: i64) -> CauseInput {
    let texts: BTreeMap<String, CauseTextInput> = TEXTS
        .iter()
        .map(|(l, name, description)| {
            let t = CauseTextInput {
                name: (*name).to_owned(),
                description: (*description).to_owned(),
            };
            ((*l).to_owned(), t)
        })
        .collect();
    CauseInput {
        slug: "learn-to-swim".into(),
        texts,
        partner: "Swimming Confederation of Africa".into(),
        partner_url: String::new(),
        target_minor: 2_000_000,
        currency: "EUR".into(),
        starts_at: rfc3339(now - 20 * DAY_MS),
        ends_at: rfc3339(now + 12 * DAY_MS),
    }
}
