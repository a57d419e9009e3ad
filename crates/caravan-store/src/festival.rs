//! The festival's storage: campaigns and their texts, deals and their decisions, what each buyer
//! has claimed of a deal, and variants' price history. The units claimed are changed only by the
//! order writer (`checkout::decide` and `checkout::insert`) and by transitions that cancel orders.

use crate::dialect::keyed_rows;
use crate::journal::{append_events, changed};
use crate::sql::{in_list, Sql, Val};
use crate::{Store, StoreError};
use std::collections::HashMap;

/// A stored campaign.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRecord {
    /// `cmp_…`.
    pub id: String,
    /// In URLs: `/festival/{slug}`.
    pub slug: String,
    /// IANA time zone the campaign is declared in (shown to buyers beside their own time).
    pub time_zone: String,
    /// Enrolment opens (UTC ms).
    pub enrol_from: i64,
    /// Warm-up begins.
    pub warmup_at: i64,
    /// Deals apply from…
    pub starts_at: i64,
    /// …until.
    pub ends_at: i64,
    /// Smallest discount a deal gives against its reference price.
    pub min_discount_bps: i64,
    /// Fewest units a deal commits.
    pub min_units: i64,
    /// JSON array of eligible category ids (empty: all).
    pub categories: String,
    /// JSON array of eligible ship-from countries (empty: all).
    pub ship_from: String,
    /// Banner image URL (`/media/img_…`).
    pub banner: Option<String>,
    /// UTC ms.
    pub created_at: i64,
}

/// A campaign's name and description in one language.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignTextRecord {
    /// The campaign.
    pub campaign_id: String,
    /// Locale code.
    pub locale: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

/// A stored deal.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DealRecord {
    /// `del_…`.
    pub id: String,
    /// Its campaign.
    pub campaign_id: String,
    /// Its store.
    pub merchant_id: String,
    /// The product of the variant.
    pub product_id: String,
    /// The variant on deal.
    pub variant_id: String,
    /// Deal price per unit, the store's currency.
    pub price_minor: i64,
    /// The store's currency.
    pub currency: String,
    /// The reference price it is compared with (frozen at enrolment).
    pub reference_minor: i64,
    /// Units committed.
    pub cap: i64,
    /// Units claimed by placed orders (less cancelled ones).
    pub claimed: i64,
    /// Units one buyer may take.
    pub per_buyer: i64,
    /// Flash slot start, if any.
    pub slot_from: Option<i64>,
    /// Flash slot end, if any.
    pub slot_to: Option<i64>,
    /// pending | approved | rejected.
    pub status: String,
    /// UTC ms.
    pub created_at: i64,
    /// When an operator decided.
    pub decided_at: Option<i64>,
}

const CAMPAIGN_COLS: &str = "id, slug, time_zone, enrol_from, warmup_at, starts_at, ends_at, \
    min_discount_bps, min_units, categories, ship_from, banner, created_at";
const DEAL_COLS: &str =
    "id, campaign_id, merchant_id, product_id, variant_id, price_minor, currency, \
    reference_minor, cap, claimed, per_buyer, slot_from, slot_to, status, created_at, decided_at";

impl Store {
    /// Inserts a campaign with its texts. `Conflict` if the slug is taken.
    pub async fn insert_campaign(
        &self,
        c: &CampaignRecord,
        texts: &[CampaignTextRecord],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO campaigns ({CAMPAIGN_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(&c.id)
        .bind(&c.slug)
        .bind(&c.time_zone)
        .bind(c.enrol_from)
        .bind(c.warmup_at)
        .bind(c.starts_at)
        .bind(c.ends_at)
        .bind(c.min_discount_bps)
        .bind(c.min_units)
        .bind(&c.categories)
        .bind(&c.ship_from)
        .bind(&c.banner)
        .bind(c.created_at)
        .execute(&mut *tx)
        .await?;
        for t in texts {
            sqlx::query(
                "INSERT INTO campaign_texts (campaign_id, locale, name, description) VALUES ($1, $2, $3, $4)",
            )
            .bind(&t.campaign_id)
            .bind(&t.locale)
            .bind(&t.name)
            .bind(&t.description)
            .execute(&mut *tx)
            .await?;
        }
        append_events(&mut tx, &[changed("campaign.changed", &c.id)], c.created_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every campaign, newest start first.
    pub async fn campaigns(&self) -> Result<Vec<CampaignRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {CAMPAIGN_COLS} FROM campaigns ORDER BY starts_at DESC, id"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// The campaign with this id or slug.
    pub async fn campaign(&self, id_or_slug: &str) -> Result<Option<CampaignRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {CAMPAIGN_COLS} FROM campaigns WHERE id = $1 OR slug = $1"
        ))
        .bind(id_or_slug)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The texts of these campaigns.
    pub async fn campaign_texts(
        &self,
        ids: &[String],
    ) -> Result<Vec<CampaignTextRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        let list = in_list(&mut sql, ids.iter().map(Val::from));
        sql.push(&format!(
            "SELECT campaign_id, locale, name, description FROM campaign_texts WHERE campaign_id IN ({list})"
        ));
        Ok(sql.query_as().fetch_all(&self.pool).await?)
    }

    /// Inserts a pending deal. `Conflict` if the variant already has a deal in the campaign.
    pub async fn insert_deal(&self, d: &DealRecord) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO deals ({DEAL_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        ))
        .bind(&d.id)
        .bind(&d.campaign_id)
        .bind(&d.merchant_id)
        .bind(&d.product_id)
        .bind(&d.variant_id)
        .bind(d.price_minor)
        .bind(&d.currency)
        .bind(d.reference_minor)
        .bind(d.cap)
        .bind(d.claimed)
        .bind(d.per_buyer)
        .bind(d.slot_from)
        .bind(d.slot_to)
        .bind(&d.status)
        .bind(d.created_at)
        .bind(d.decided_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The deal with this id.
    pub async fn deal(&self, id: &str) -> Result<Option<DealRecord>, StoreError> {
        Ok(
            sqlx::query_as(&format!("SELECT {DEAL_COLS} FROM deals WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Deals where `column` (`campaign_id` or `merchant_id`) is `value`, oldest first.
    pub async fn deals_by(&self, column: &str, value: &str) -> Result<Vec<DealRecord>, StoreError> {
        let column = match column {
            "campaign_id" => "campaign_id",
            _ => "merchant_id",
        };
        Ok(sqlx::query_as(&format!(
            "SELECT {DEAL_COLS} FROM deals WHERE {column} = $1 ORDER BY created_at, id"
        ))
        .bind(value)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Approved deals of campaigns that have not ended by `now`, with their campaigns: what
    /// checkout prices with.
    pub async fn open_deals(
        &self,
        now: i64,
    ) -> Result<(Vec<DealRecord>, Vec<CampaignRecord>), StoreError> {
        let deals = sqlx::query_as(&format!(
            "SELECT {} FROM deals d JOIN campaigns c ON c.id = d.campaign_id \
             WHERE d.status = 'approved' AND c.ends_at > $1",
            DEAL_COLS
                .split(", ")
                .map(|c| format!("d.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let campaigns = sqlx::query_as(&format!(
            "SELECT {CAMPAIGN_COLS} FROM campaigns WHERE ends_at > $1"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok((deals, campaigns))
    }

    /// Approves or rejects a pending deal. `Stale` if it is no longer pending.
    pub async fn decide_deal(&self, id: &str, status: &str, now: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE deals SET status = $1, decided_at = $2 WHERE id = $3 AND status = 'pending'",
        )
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Stale);
        }
        append_events(&mut tx, &[changed("deal.changed", id)], now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What `buyer` has claimed of every deal whose campaign has not ended by `now`.
    pub async fn buyer_claims(
        &self,
        buyer: &str,
        now: i64,
    ) -> Result<HashMap<String, i64>, StoreError> {
        let mut all = self.buyers_claims(&[buyer.to_owned()], now).await?;
        Ok(all.remove(buyer).unwrap_or_default())
    }

    /// [`Self::buyer_claims`] of several buyers in one read: buyer → deal → units (a buyer
    /// with no claim is absent).
    pub async fn buyers_claims(
        &self,
        buyers: &[String],
        now: i64,
    ) -> Result<HashMap<String, HashMap<String, i64>>, StoreError> {
        let mut out: HashMap<String, HashMap<String, i64>> = HashMap::new();
        if buyers.is_empty() {
            return Ok(out);
        }
        let mut sql = Sql::positional(self.engine() == crate::Engine::Sqlite);
        let claims = keyed_rows(
            &mut sql,
            "deal_claims",
            "buyer_id",
            buyers.iter().map(String::as_str),
        );
        let now = sql.bind(Val::Int(now));
        sql.push(&format!(
            "SELECT t.buyer_id, t.deal_id, t.units FROM {claims} JOIN deals d ON d.id = t.deal_id \
             JOIN campaigns k ON k.id = d.campaign_id WHERE k.ends_at > {now}"
        ));
        let read = sql.query_as().persistent(false).fetch_all(&self.pool);
        let rows: Vec<(String, String, i64)> = read.await?;
        for (buyer, deal, units) in rows {
            out.entry(buyer).or_default().insert(deal, units);
        }
        Ok(out)
    }

    /// A variant's price changes: (from instant, price), oldest first.
    pub async fn price_history(&self, variant_id: &str) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT at, price_minor FROM price_history WHERE variant_id = $1 ORDER BY at",
        )
        .bind(variant_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
