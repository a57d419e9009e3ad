//! Charity programmes: causes and their texts, stores' pledges, remittances to partners, and
//! the figures the public meter is made of (the causes' ledger balances, what each store's
//! orders pledged).

use crate::journal::{append_events, changed, post_ledger, LedgerTx};
use crate::sql::{in_list, Sql, Val};
use crate::{Store, StoreError};

/// A cause as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CauseRecord {
    /// `cau_…`.
    pub id: String,
    /// In URLs.
    pub slug: String,
    /// The partner organisation that receives the money.
    pub partner: String,
    /// The partner's site (https), or empty.
    pub partner_url: String,
    /// What the cause hopes to raise, in `currency`.
    pub target_minor: i64,
    /// The cause's currency (targets, remittances).
    pub currency: String,
    /// Sales pledge from here…
    pub starts_at: i64,
    /// …until here (exclusive).
    pub ends_at: i64,
    /// `/media/img_…`, if any.
    pub image: Option<String>,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// A cause's name and description in one language.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CauseTextRecord {
    /// `cau_…`.
    pub cause_id: String,
    /// Locale code.
    pub locale: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

/// A store's pledge to a cause.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PledgeRecord {
    /// `cau_…`.
    pub cause_id: String,
    /// `mer_…`.
    pub merchant_id: String,
    /// percent | per_unit.
    pub kind: String,
    /// Basis points, or minor units of the store's currency per unit.
    pub value: i64,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// Money sent to a cause's partner.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RemittanceRecord {
    /// `rem_…`.
    pub id: String,
    /// `cau_…`.
    pub cause_id: String,
    /// The partner's or bank's reference.
    pub reference: String,
    /// Sent, in `currency`.
    pub amount_minor: i64,
    /// The cause's currency.
    pub currency: String,
    /// JSON: each balance taken `{currency, minor, converted_minor}`.
    pub parts: String,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// What one store's paid orders pledged to a cause: (merchant, currency, status, pledged,
/// refunded, total) — summed over unrefunded orders, one row per order with refunds.
pub type PledgedRow = (String, String, String, i64, i64, i64);

const CAUSE_COLS: &str =
    "id, slug, partner, partner_url, target_minor, currency, starts_at, ends_at, image, created_at";

impl Store {
    /// Records a cause and its texts; `Conflict` if the slug is taken.
    pub async fn insert_cause(
        &self,
        c: &CauseRecord,
        texts: &[CauseTextRecord],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO causes ({CAUSE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind(&c.id)
        .bind(&c.slug)
        .bind(&c.partner)
        .bind(&c.partner_url)
        .bind(c.target_minor)
        .bind(&c.currency)
        .bind(c.starts_at)
        .bind(c.ends_at)
        .bind(&c.image)
        .bind(c.created_at)
        .execute(&mut *tx)
        .await?;
        for t in texts {
            sqlx::query(
                "INSERT INTO cause_texts (cause_id, locale, name, description) VALUES ($1, $2, $3, $4)",
            )
            .bind(&t.cause_id)
            .bind(&t.locale)
            .bind(&t.name)
            .bind(&t.description)
            .execute(&mut *tx)
            .await?;
        }
        append_events(&mut tx, &[changed("cause.changed", &c.id)], c.created_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The cause with this id or slug.
    pub async fn cause(&self, id_or_slug: &str) -> Result<Option<CauseRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {CAUSE_COLS} FROM causes WHERE id = $1 OR slug = $1"
        ))
        .bind(id_or_slug)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Every cause, latest start first.
    pub async fn causes(&self) -> Result<Vec<CauseRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {CAUSE_COLS} FROM causes ORDER BY starts_at DESC, id LIMIT 500"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// The texts of these causes.
    pub async fn cause_texts(&self, ids: &[String]) -> Result<Vec<CauseTextRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        let list = in_list(&mut sql, ids.iter().map(Val::from));
        sql.push(&format!(
            "SELECT cause_id, locale, name, description FROM cause_texts WHERE cause_id IN ({list})"
        ));
        Ok(sql.query_as().fetch_all(&self.pool).await?)
    }

    /// Sets a store's pledge to a cause (replacing the one it had).
    pub async fn set_pledge(&self, p: &PledgeRecord) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM pledges WHERE cause_id = $1 AND merchant_id = $2")
            .bind(&p.cause_id)
            .bind(&p.merchant_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO pledges (cause_id, merchant_id, kind, value, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&p.cause_id)
        .bind(&p.merchant_id)
        .bind(&p.kind)
        .bind(p.value)
        .bind(p.created_at)
        .execute(&mut *tx)
        .await?;
        let event = changed("pledge.changed", &p.merchant_id);
        append_events(&mut tx, &[event], p.created_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Withdraws a store's pledge; whether it had one.
    pub async fn delete_pledge(
        &self,
        cause_id: &str,
        merchant_id: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM pledges WHERE cause_id = $1 AND merchant_id = $2")
            .bind(cause_id)
            .bind(merchant_id)
            .execute(&mut *tx)
            .await?;
        append_events(&mut tx, &[changed("pledge.changed", merchant_id)], now).await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Pledges, of one cause or (with `None`) of every cause, oldest first.
    pub async fn pledges(&self, cause_id: Option<&str>) -> Result<Vec<PledgeRecord>, StoreError> {
        let cols = "cause_id, merchant_id, kind, value, created_at";
        let filter = if cause_id.is_some() {
            "WHERE cause_id = $1"
        } else {
            ""
        };
        let sql = format!("SELECT {cols} FROM pledges {filter} ORDER BY created_at, merchant_id");
        let mut q = sqlx::query_as(&sql);
        if let Some(c) = cause_id {
            q = q.bind(c.to_owned());
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// The ledger balances of a cause: (account, currency, balance).
    pub async fn cause_balances(
        &self,
        cause_id: &str,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT account, currency, balance_minor FROM balances \
             WHERE account IN ($1, $2) ORDER BY account, currency",
        )
        .bind(caravan_domain::ledger::charity_raised(cause_id))
        .bind(caravan_domain::ledger::charity_pending(cause_id))
        .fetch_all(&self.pool)
        .await?)
    }

    /// What the paid orders of a cause pledged, per store, currency and status (orders with
    /// refunds one by one, for their share to be taken exactly).
    pub async fn pledged(&self, cause_id: &str) -> Result<Vec<PledgedRow>, StoreError> {
        let mut rows: Vec<PledgedRow> = sqlx::query_as(
            "SELECT merchant_id, currency, status, CAST(SUM(pledge_minor) AS BIGINT), \
             CAST(0 AS BIGINT), CAST(0 AS BIGINT) FROM orders \
             WHERE cause_id = $1 AND paid_at IS NOT NULL AND refunded_minor = 0 AND pledge_minor > 0 \
             GROUP BY merchant_id, currency, status",
        )
        .bind(cause_id)
        .fetch_all(&self.pool)
        .await?;
        let refunded: Vec<PledgedRow> = sqlx::query_as(
            "SELECT merchant_id, currency, status, pledge_minor, refunded_minor, total_minor \
             FROM orders WHERE cause_id = $1 AND paid_at IS NOT NULL AND refunded_minor > 0 \
             AND pledge_minor > 0",
        )
        .bind(cause_id)
        .fetch_all(&self.pool)
        .await?;
        rows.extend(refunded);
        Ok(rows)
    }

    /// A checkout's donation, if it made one.
    pub async fn donation(
        &self,
        group_id: &str,
    ) -> Result<Option<crate::checkout::DonationRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT group_id, cause_id, buyer_id, kind, amount_minor, currency, state, created_at \
             FROM donations WHERE group_id = $1",
        )
        .bind(group_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Buyers' paid donations to a cause, per currency.
    pub async fn donated(&self, cause_id: &str) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT currency, CAST(SUM(amount_minor) AS BIGINT) FROM donations \
             WHERE cause_id = $1 AND state = 'paid' GROUP BY currency",
        )
        .bind(cause_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records a remittance and its ledger transaction; `Insufficient` if the cause's money
    /// no longer covers it.
    pub async fn remit(&self, r: &RemittanceRecord, ledger: &LedgerTx) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO charity_remittances (id, cause_id, reference, amount_minor, currency, parts, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&r.id)
        .bind(&r.cause_id)
        .bind(&r.reference)
        .bind(r.amount_minor)
        .bind(&r.currency)
        .bind(&r.parts)
        .bind(r.created_at)
        .execute(&mut *tx)
        .await?;
        post_ledger(&mut tx, std::slice::from_ref(ledger), r.created_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A cause's remittances, newest first.
    pub async fn remittances(&self, cause_id: &str) -> Result<Vec<RemittanceRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, cause_id, reference, amount_minor, currency, parts, created_at \
             FROM charity_remittances WHERE cause_id = $1 ORDER BY created_at DESC, id",
        )
        .bind(cause_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// What remittances took from a cause's confirmed money, per currency (from the ledger).
    pub async fn remitted(&self, cause_id: &str) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT e.currency, CAST(-SUM(e.amount_minor) AS BIGINT) FROM ledger_entries e \
             JOIN ledger_transactions t ON t.id = e.tx_id \
             WHERE t.kind = $1 AND t.reference = $2 AND e.account = $3 GROUP BY e.currency",
        )
        .bind(crate::journal::CHARITY_REMITTANCE)
        .bind(cause_id)
        .bind(caravan_domain::ledger::charity_raised(cause_id))
        .fetch_all(&self.pool)
        .await?)
    }
}
