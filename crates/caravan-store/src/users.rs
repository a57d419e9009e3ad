//! Accounts, roles, API tokens and the failed-login throttle.

use crate::{Store, StoreError};

/// A stored user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    /// `usr_…`.
    pub id: String,
    /// Lower-cased e-mail.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Name shown to others.
    pub display_name: String,
    /// ISO 3166-1 alpha-2, when given.
    pub country: Option<String>,
    /// Preferred locale.
    pub locale: String,
    /// UTC milliseconds.
    pub created_at: i64,
    /// When an operator suspended the account, if it is suspended.
    pub suspended_at: Option<i64>,
}

/// A stored API token (never the secret itself, only its hash).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRecord {
    /// `tok_…`.
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// SHA-256 of the secret, hex.
    pub token_hash: String,
    /// A label (`login`, `ci`…).
    pub name: String,
    /// UTC milliseconds.
    pub created_at: i64,
    /// When revoked, if it was.
    pub revoked_at: Option<i64>,
}

/// A token with one of its owner's roles (none: the owner has no role).
#[derive(sqlx::FromRow)]
struct TokenRole {
    #[sqlx(flatten)]
    token: TokenRecord,
    role: Option<String>,
}

const USER_COLS: &str =
    "id, email, password_hash, display_name, country, locale, created_at, suspended_at";

impl Store {
    /// Inserts a user with the given initial roles. `Conflict` if the e-mail is taken.
    pub async fn insert_user(&self, user: &UserRecord, roles: &[&str]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, display_name, country, locale, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&user.id)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(&user.display_name)
        .bind(&user.country)
        .bind(&user.locale)
        .bind(user.created_at)
        .execute(&mut *tx)
        .await?;
        for role in roles {
            sqlx::query("INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3)")
                .bind(&user.id)
                .bind(*role)
                .bind(user.created_at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Suspends (`at` set: also revokes every live token of the account) or reinstates a user, in
    /// one transaction. `false` when there is no such user.
    pub async fn set_user_suspended(
        &self,
        user_id: &str,
        at: Option<i64>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE users SET suspended_at = $1 WHERE id = $2")
            .bind(at)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        if let Some(at) = at {
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(at)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The user with this (normalised) e-mail.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE email = $1");
        Ok(sqlx::query_as(&sql)
            .bind(email)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The user with this id.
    pub async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
        Ok(sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Users, newest first, after an optional `(created_at, id)` cursor.
    pub async fn list_users(
        &self,
        after: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<UserRecord>, StoreError> {
        let (t, id) = after.unwrap_or((i64::MAX, String::new()));
        let sql = format!(
            "SELECT {USER_COLS} FROM users WHERE created_at < $1 OR (created_at = $1 AND id < $2) \
             ORDER BY created_at DESC, id DESC LIMIT $3"
        );
        Ok(sqlx::query_as(&sql)
            .bind(t)
            .bind(id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The roles a user holds, sorted.
    pub async fn roles_of(&self, user_id: &str) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Stores a new API token.
    pub async fn insert_token(&self, token: &TokenRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, token_hash, name, created_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, NULL)",
        )
        .bind(&token.id)
        .bind(&token.user_id)
        .bind(&token.token_hash)
        .bind(&token.name)
        .bind(token.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The live (unrevoked) token with this hash and its owner's roles (sorted), in one read:
    /// what every authenticated request needs.
    pub async fn live_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(TokenRecord, Vec<String>)>, StoreError> {
        let rows: Vec<TokenRole> = sqlx::query_as(
            "SELECT t.id, t.user_id, t.token_hash, t.name, t.created_at, t.revoked_at, r.role \
             FROM api_tokens t LEFT JOIN user_roles r ON r.user_id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL ORDER BY r.role",
        )
        .bind(token_hash)
        .fetch_all(&self.pool)
        .await?;
        let roles = rows.iter().filter_map(|r| r.role.clone()).collect();
        Ok(rows.into_iter().next().map(|r| (r.token, roles)))
    }

    /// A user's tokens, newest first.
    pub async fn tokens_of(&self, user_id: &str) -> Result<Vec<TokenRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, user_id, token_hash, name, created_at, revoked_at FROM api_tokens \
             WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Revokes one of `user_id`'s live tokens; `Stale` if there is no such live token.
    pub async fn revoke_token(&self, id: &str, user_id: &str, now: i64) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::Stale)
        }
    }

    /// Failed logins for `email` in the window starting after `since` (0 if none).
    pub async fn login_failures(&self, email: &str, since: i64) -> Result<(i64, i64), StoreError> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT failures, window_start FROM login_failures WHERE email = $1 AND window_start > $2",
        )
        .bind(email)
        .bind(since)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.unwrap_or((0, 0)))
    }

    /// Counts a failed login; a window older than `since` starts again at one.
    pub async fn record_login_failure(
        &self,
        email: &str,
        now: i64,
        since: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO login_failures (email, failures, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (email) DO UPDATE SET \
               failures = CASE WHEN login_failures.window_start > $3 THEN login_failures.failures + 1 ELSE 1 END, \
               window_start = CASE WHEN login_failures.window_start > $3 THEN login_failures.window_start ELSE $2 END",
        )
        .bind(email)
        .bind(now)
        .bind(since)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forgets failed logins after a success.
    pub async fn clear_login_failures(&self, email: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The countries with the most accounts, most first (ties by code).
    pub async fn countries_by_accounts(&self, limit: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT country FROM users WHERE country IS NOT NULL \
             GROUP BY country ORDER BY COUNT(*) DESC, country LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
