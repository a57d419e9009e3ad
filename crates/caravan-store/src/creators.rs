//! Connect's creators and their tracking links. Approval grants the `creator` role in the same
//! transaction; clicks arrive in batches (`add_clicks`), one statement per link.

use crate::journal::{append_events, changed};
use crate::merchants::Reviewed;
use crate::{Store, StoreError};

/// A stored creator.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreatorRecord {
    /// `cre_…`.
    pub id: String,
    /// The account.
    pub user_id: String,
    /// Public handle, lower-case, without `@`.
    pub handle: String,
    /// JSON array of locale codes.
    pub languages: String,
    /// JSON array of country codes (the audience).
    pub countries: String,
    /// JSON array of audience URLs.
    pub links: String,
    /// Short pitch.
    pub pitch: String,
    /// pending | approved | rejected | suspended.
    pub status: String,
    /// The operator's reason for the last decision.
    pub status_reason: Option<String>,
    /// UTC milliseconds.
    pub created_at: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
    /// The checkout code buyers may type (upper-case), if the creator chose one.
    pub code: Option<String>,
    /// The currency the creator is paid in.
    pub payout_currency: String,
    /// The tier's bonus on every rate, in basis points.
    pub bonus_bps: i64,
    /// The tier, as last computed.
    pub tier: String,
    /// Commission confirmed over the last 90 days, in euro cents, as last computed.
    pub earned_90d_eur_minor: i64,
}

/// Creators under review.
const CREATORS: Reviewed = Reviewed {
    table: "creators",
    user_column: "user_id",
    role: "creator",
    event: "creator.changed",
};

const CREATOR_COLS: &str = "id, user_id, handle, languages, countries, links, pitch, status, \
    status_reason, created_at, updated_at";

/// What is read of a creator: the application, and what the creator and the tiers set later.
const CREATOR_READ: &str = "id, user_id, handle, languages, countries, links, pitch, status, \
    status_reason, created_at, updated_at, code, payout_currency, bonus_bps, tier, earned_90d_eur_minor";

/// A stored tracking link.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRecord {
    /// The code in `/r/{code}`.
    pub code: String,
    /// Whose.
    pub creator_id: String,
    /// product | campaign.
    pub target_kind: String,
    /// `prd_…` or `cmp_…`.
    pub target_id: String,
    /// Clicks flushed so far.
    pub clicks: i64,
    /// UTC milliseconds.
    pub created_at: i64,
}

const LINK_COLS: &str = "code, creator_id, target_kind, target_id, clicks, created_at";

/// Why an application was not stored.
#[derive(Debug)]
pub enum Refusal {
    /// The account applied already.
    AlreadyApplied,
    /// Another creator has the handle.
    HandleTaken,
}

impl Store {
    /// Stores an application; which uniqueness it broke, if any.
    pub async fn insert_creator(&self, c: &CreatorRecord) -> Result<Option<Refusal>, StoreError> {
        let taken: Option<String> =
            sqlx::query_scalar("SELECT user_id FROM creators WHERE user_id = $1 OR handle = $2")
                .bind(&c.user_id)
                .bind(&c.handle)
                .fetch_optional(&self.pool)
                .await?;
        if let Some(user) = taken {
            return Ok(Some(if user == c.user_id {
                Refusal::AlreadyApplied
            } else {
                Refusal::HandleTaken
            }));
        }
        let done = sqlx::query(&format!(
            "INSERT INTO creators ({CREATOR_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(&c.id)
        .bind(&c.user_id)
        .bind(&c.handle)
        .bind(&c.languages)
        .bind(&c.countries)
        .bind(&c.links)
        .bind(&c.pitch)
        .bind(&c.status)
        .bind(&c.status_reason)
        .bind(c.created_at)
        .bind(c.updated_at)
        .execute(&self.pool)
        .await;
        match done {
            Ok(_) => Ok(None),
            // Two applications raced past the check: the unique keys decide.
            Err(e) => match StoreError::from(e) {
                StoreError::Conflict => Ok(Some(Refusal::HandleTaken)),
                other => Err(other),
            },
        }
    }

    /// The creator of an account.
    pub async fn creator_of_user(
        &self,
        user_id: &str,
    ) -> Result<Option<CreatorRecord>, StoreError> {
        self.creator_where("user_id", user_id).await
    }

    /// A creator by id.
    pub async fn creator_by_id(&self, id: &str) -> Result<Option<CreatorRecord>, StoreError> {
        self.creator_where("id", id).await
    }

    /// A creator by checkout code (upper-case).
    pub async fn creator_by_code(&self, code: &str) -> Result<Option<CreatorRecord>, StoreError> {
        self.creator_where("code", code).await
    }

    /// Sets a creator's checkout code (none removes it) and payout currency; `Conflict` if
    /// another creator has the code.
    pub async fn set_creator_settings(
        &self,
        id: &str,
        code: Option<&str>,
        payout_currency: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE creators SET code = $1, payout_currency = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(code)
        .bind(payout_currency)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// What identifies a creator's buyer self: their account's e-mail, and the delivery
    /// addresses they saved or had orders sent to, as `(line1, postal code, country)`.
    pub async fn creator_identity(
        &self,
        user_id: &str,
    ) -> Result<(String, Vec<(String, String, String)>), StoreError> {
        let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        let mut places: Vec<(String, String, String)> =
            sqlx::query_as("SELECT line1, postal_code, country FROM addresses WHERE user_id = $1")
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
        let sent: Vec<(String,)> = sqlx::query_as(
            "SELECT g.address FROM orders o JOIN order_groups g ON g.id = o.group_id \
             WHERE o.buyer_id = $1 ORDER BY o.placed_at DESC LIMIT 50",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        for (json,) in sent {
            let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
            let field = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            places.push((field("line1"), field("postal_code"), field("country")));
        }
        Ok((email.unwrap_or_default(), places))
    }

    /// A creator by handle.
    pub async fn creator_by_handle(
        &self,
        handle: &str,
    ) -> Result<Option<CreatorRecord>, StoreError> {
        self.creator_where("handle", handle).await
    }

    async fn creator_where(&self, col: &str, v: &str) -> Result<Option<CreatorRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {CREATOR_READ} FROM creators WHERE {col} = $1"
        ))
        .bind(v)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Creators, oldest first, optionally of one status, after a keyset cursor.
    pub async fn list_creators(
        &self,
        status: Option<&str>,
        after: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<CreatorRecord>, StoreError> {
        let (t, id) = after.unwrap_or((i64::MIN, String::new()));
        Ok(sqlx::query_as(&format!(
            "SELECT {CREATOR_READ} FROM creators WHERE ($1 = '' OR status = $1) \
             AND (created_at > $2 OR (created_at = $2 AND id > $3)) \
             ORDER BY created_at, id LIMIT $4"
        ))
        .bind(status.unwrap_or(""))
        .bind(t)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Moves a creator from `from` to `to` (`Stale` if no longer in `from`); approval grants
    /// the creator role in the same transaction.
    pub async fn set_creator_status(
        &self,
        id: &str,
        from: &str,
        to: &str,
        reason: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.set_review_status(&CREATORS, id, (from, to), reason, now)
            .await
    }

    /// Stores a link; `Conflict` if the code exists.
    pub async fn insert_link(&self, l: &LinkRecord) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO creator_links ({LINK_COLS}) VALUES ($1, $2, $3, $4, 0, $5)"
        ))
        .bind(&l.code)
        .bind(&l.creator_id)
        .bind(&l.target_kind)
        .bind(&l.target_id)
        .bind(l.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A link by code.
    pub async fn link(&self, code: &str) -> Result<Option<LinkRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {LINK_COLS} FROM creator_links WHERE code = $1"
        ))
        .bind(code)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A creator's links, newest first.
    pub async fn links_of(&self, creator_id: &str) -> Result<Vec<LinkRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {LINK_COLS} FROM creator_links WHERE creator_id = $1 \
             ORDER BY created_at DESC, code"
        ))
        .bind(creator_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Adds counted clicks, in one transaction.
    pub async fn add_clicks(&self, counts: &[(String, i64)]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for (code, n) in counts {
            sqlx::query("UPDATE creator_links SET clicks = clicks + $1 WHERE code = $2")
                .bind(n)
                .bind(code)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// A merchant's commission rate for creators.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CommissionRateRecord {
    /// The store.
    pub merchant_id: String,
    /// store | category | product.
    pub scope: String,
    /// `cat_…` or `prd_…`; empty for the store.
    pub target_id: String,
    /// Basis points (300..=5000).
    pub rate_bps: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
}

impl Store {
    /// Sets a rate (or, with `None`, removes it); appends `commission.changed` so every node's
    /// checkout tables are reread.
    pub async fn set_commission_rate(
        &self,
        merchant_id: &str,
        scope: &str,
        target_id: &str,
        rate_bps: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        match rate_bps {
            Some(bps) => {
                sqlx::query(
                    "INSERT INTO commission_rates (merchant_id, scope, target_id, rate_bps, updated_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (merchant_id, scope, target_id) \
                     DO UPDATE SET rate_bps = excluded.rate_bps, updated_at = excluded.updated_at",
                )
                .bind(merchant_id)
                .bind(scope)
                .bind(target_id)
                .bind(bps)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "DELETE FROM commission_rates WHERE merchant_id = $1 AND scope = $2 AND target_id = $3",
                )
                .bind(merchant_id)
                .bind(scope)
                .bind(target_id)
                .execute(&mut *tx)
                .await?;
            }
        }
        append_events(&mut tx, &[changed("commission.changed", merchant_id)], now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every rate (checkout caches them all), or one merchant's.
    pub async fn commission_rates(
        &self,
        merchant_id: Option<&str>,
    ) -> Result<Vec<CommissionRateRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT merchant_id, scope, target_id, rate_bps, updated_at FROM commission_rates \
             WHERE ($1 = '' OR merchant_id = $1) ORDER BY merchant_id, scope, target_id",
        )
        .bind(merchant_id.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?)
    }
}
