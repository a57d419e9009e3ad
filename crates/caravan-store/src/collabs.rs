//! Connect's collaborations: merchants' briefs, creators' applications, and each application's
//! moves — guarded by its state, taking a place with a guarded increment, and posting the fee's
//! ledger transaction in the same database transaction.

use crate::journal::{post_ledger, LedgerTx};
use crate::{Store, StoreError};

/// A collaboration as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CollabRecord {
    /// `col_…`.
    pub id: String,
    /// `mer_…`.
    pub merchant_id: String,
    /// Title.
    pub title: String,
    /// What the merchant asks for.
    pub brief: String,
    /// The brief's language.
    pub locale: String,
    /// JSON array of `prd_…`.
    pub products: String,
    /// per_sale | fixed_fee.
    pub kind: String,
    /// Basis points, or the fee in minor units.
    pub value: i64,
    /// The store's currency.
    pub currency: String,
    /// How many creators it accepts.
    pub places: i64,
    /// How many it has accepted.
    pub accepted: i64,
    /// Applications, sales at its rate and deliveries end here (UTC milliseconds).
    pub ends_at: i64,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// A creator's application to a collaboration.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApplicationRecord {
    /// `col_…`.
    pub collaboration_id: String,
    /// `cre_…`.
    pub creator_id: String,
    /// Why them.
    pub pitch: String,
    /// applied | accepted | rejected | delivered | lapsed.
    pub state: String,
    /// The delivered post.
    pub post_id: Option<String>,
    /// UTC milliseconds.
    pub created_at: i64,
    /// When the merchant decided or the creator delivered.
    pub decided_at: Option<i64>,
}

/// One application moving on.
#[derive(Debug, Clone)]
pub struct ApplicationMove {
    /// `col_…`.
    pub collaboration_id: String,
    /// `cre_…`.
    pub creator_id: String,
    /// The state read (`Stale` if it moved meanwhile).
    pub from: String,
    /// The new state.
    pub to: String,
    /// The delivered post, if this is a delivery.
    pub post_id: Option<String>,
    /// Whether it takes one of the places (`Conflict` when none is left).
    pub takes_place: bool,
    /// The fee's transaction, if money moves.
    pub ledger: Option<LedgerTx>,
}

const COLLAB_COLS: &str = "id, merchant_id, title, brief, locale, products, kind, value, \
    currency, places, accepted, ends_at, created_at";
const APPLICATION_COLS: &str =
    "collaboration_id, creator_id, pitch, state, post_id, created_at, decided_at";

impl Store {
    /// Records a collaboration.
    pub async fn insert_collab(&self, c: &CollabRecord) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO collaborations ({COLLAB_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(&c.id)
        .bind(&c.merchant_id)
        .bind(&c.title)
        .bind(&c.brief)
        .bind(&c.locale)
        .bind(&c.products)
        .bind(&c.kind)
        .bind(c.value)
        .bind(&c.currency)
        .bind(c.places)
        .bind(c.accepted)
        .bind(c.ends_at)
        .bind(c.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One collaboration.
    pub async fn collab(&self, id: &str) -> Result<Option<CollabRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLLAB_COLS} FROM collaborations WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A store's collaborations (`Some(merchant)`), or those still running at `open_at`;
    /// newest first, at most 200.
    pub async fn collabs(
        &self,
        merchant: Option<&str>,
        open_at: i64,
    ) -> Result<Vec<CollabRecord>, StoreError> {
        let q = match merchant {
            Some(_) => "WHERE merchant_id = $1 AND $2 >= 0",
            None => "WHERE $1 = '' AND ends_at > $2",
        };
        Ok(sqlx::query_as(&format!(
            "SELECT {COLLAB_COLS} FROM collaborations {q} ORDER BY created_at DESC, id LIMIT 200"
        ))
        .bind(merchant.unwrap_or(""))
        .bind(open_at)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records an application; `Conflict` if the creator applied before.
    pub async fn insert_application(&self, a: &ApplicationRecord) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO collaboration_applications ({APPLICATION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ))
        .bind(&a.collaboration_id)
        .bind(&a.creator_id)
        .bind(&a.pitch)
        .bind(&a.state)
        .bind(&a.post_id)
        .bind(a.created_at)
        .bind(a.decided_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Applications to a collaboration (`Some`), or a creator's (`None`, by `creator`); oldest
    /// first, at most 500.
    pub async fn applications(
        &self,
        collab: Option<&str>,
        creator: Option<&str>,
    ) -> Result<Vec<ApplicationRecord>, StoreError> {
        let (col, v) = match (collab, creator) {
            (Some(c), _) => ("collaboration_id", c),
            (None, Some(c)) => ("creator_id", c),
            (None, None) => return Ok(Vec::new()),
        };
        Ok(sqlx::query_as(&format!(
            "SELECT {APPLICATION_COLS} FROM collaboration_applications WHERE {col} = $1 \
             ORDER BY created_at, creator_id LIMIT 500"
        ))
        .bind(v)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Moves an application, takes a place and posts the fee in one transaction: `Stale` if the
    /// application moved meanwhile, `Conflict` if no place is left, `Insufficient` if the store's
    /// balance does not cover a fee to hold; in every case nothing is written.
    pub async fn move_application(&self, m: &ApplicationMove, now: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let moved = sqlx::query(
            "UPDATE collaboration_applications SET state = $1, decided_at = $2, \
             post_id = COALESCE($3, post_id) \
             WHERE collaboration_id = $4 AND creator_id = $5 AND state = $6",
        )
        .bind(&m.to)
        .bind(now)
        .bind(&m.post_id)
        .bind(&m.collaboration_id)
        .bind(&m.creator_id)
        .bind(&m.from)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Err(StoreError::Stale);
        }
        if m.takes_place {
            let taken = sqlx::query(
                "UPDATE collaborations SET accepted = accepted + 1 WHERE id = $1 AND accepted < places",
            )
            .bind(&m.collaboration_id)
            .execute(&mut *tx)
            .await?;
            if taken.rows_affected() != 1 {
                return Err(StoreError::Conflict);
            }
        }
        if let Some(l) = &m.ledger {
            post_ledger(&mut tx, std::slice::from_ref(l), now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every accepted per-sale application of a creator still running at `now`: (product ids
    /// JSON, rate in basis points, merchant, end).
    pub async fn collab_rates(
        &self,
        creator: &str,
        now: i64,
    ) -> Result<Vec<(String, i64, String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT c.products, c.value, c.merchant_id, c.ends_at FROM collaborations c \
             JOIN collaboration_applications a ON a.collaboration_id = c.id \
             WHERE a.creator_id = $1 AND a.state = 'accepted' AND c.kind = 'per_sale' \
             AND c.ends_at > $2",
        )
        .bind(creator)
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }
}
