//! Accounts: registration, login with a failed-login throttle, API tokens, the acting user.

use crate::cache::Refresh;
use crate::Code;
use crate::{Market, MarketError};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use caravan_domain::account::{check_new_password, clean_name, Email, Role};
use caravan_domain::id::{TokenId, TypedId, UserId};
use caravan_domain::{rfc3339, Country, Locale};
use caravan_store::users::{TokenRecord, UserRecord};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Prefix of every API token secret, so leaked tokens are recognisable.
pub const TOKEN_PREFIX: &str = "cvn_";

/// A new account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// E-mail address (login name).
    pub email: String,
    /// 10 to 128 characters.
    pub password: String,
    /// Name shown to merchants and other users.
    pub display_name: String,
    /// Country the buyer lives in (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Preferred language (en, ru, fr, es, pl, it, tr, zh); English if absent.
    pub locale: Option<String>,
}

/// Login credentials.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// E-mail address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// A user as its owner (or an operator) sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    /// `usr_…`.
    pub id: String,
    /// E-mail address.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Country, if given.
    pub country: Option<String>,
    /// Preferred locale.
    pub locale: String,
    /// Roles held: buyer, merchant, creator, operator.
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<Role>,
    /// RFC 3339.
    pub created_at: String,
    /// An operator suspended the account: it cannot log in.
    pub suspended: bool,
}

/// A freshly issued token: the secret is shown once and never again.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    /// `tok_…`, to revoke it later.
    pub id: String,
    /// The bearer secret: send as `Authorization: Bearer …`.
    pub token: String,
    /// Label.
    pub name: String,
    /// The account.
    pub user: UserView,
}

/// A token as listed (without the secret).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenView {
    /// `tok_…`.
    pub id: String,
    /// Label.
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, when revoked.
    pub revoked_at: Option<String>,
}

/// Who is calling: an authenticated user, the roles they hold, and the token used.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user.
    pub user_id: UserId,
    /// Roles held.
    pub roles: Vec<Role>,
    /// The token that authenticated this request.
    pub token_id: String,
}

impl Actor {
    /// `forbidden` unless the actor holds `role`.
    pub fn require(&self, role: Role) -> Result<(), MarketError> {
        if self.roles.contains(&role) {
            Ok(())
        } else {
            Err(MarketError::new(
                Code::Forbidden,
                format!("this needs the {} role", role.as_str()),
            ))
        }
    }
}

/// SHA-256 hex of a token secret (what the database keeps).
pub(crate) fn token_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An argon2id hash of `password`.
pub fn hash_password(password: &str) -> Result<String, MarketError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| MarketError::internal(format!("hashing a password: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn user_view(u: UserRecord, roles: Vec<String>) -> UserView {
    UserView {
        id: u.id,
        email: u.email,
        display_name: u.display_name,
        country: u.country,
        locale: u.locale,
        roles: roles.iter().filter_map(|r| Role::parse(r).ok()).collect(),
        created_at: rfc3339(u.created_at),
        suspended: u.suspended_at.is_some(),
    }
}

impl Market {
    /// Creates an account with the buyer role (plus `extra_roles`, for the CLI and demo).
    pub async fn register(
        &self,
        r: Registration,
        extra_roles: &[Role],
    ) -> Result<UserView, MarketError> {
        let email = Email::parse(&r.email)?;
        check_new_password(&r.password)?;
        let display_name = clean_name(
            &r.display_name,
            80,
            Code::InvalidDisplayName,
            "a display name",
        )?;
        let country = r.country.as_deref().map(Country::parse).transpose()?;
        let locale = r
            .locale
            .as_deref()
            .map(Locale::parse)
            .transpose()?
            .unwrap_or(Locale::En);
        let record = UserRecord {
            id: UserId::generate().to_string(),
            email: email.as_str().to_owned(),
            password_hash: hash_password(&r.password)?,
            display_name,
            country: country.map(|c| c.code().to_owned()),
            locale: locale.code().to_owned(),
            created_at: self.now(),
            suspended_at: None,
        };
        let mut roles = vec![Role::Buyer];
        roles.extend(extra_roles.iter().copied().filter(|r| *r != Role::Buyer));
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        self.store
            .insert_user(&record, &names)
            .await
            .map_err(|e| match e {
                caravan_store::StoreError::Conflict => {
                    MarketError::new(Code::EmailTaken, "an account with this e-mail exists")
                }
                other => other.into(),
            })?;
        Ok(user_view(
            record,
            names.iter().map(|s| (*s).to_owned()).collect(),
        ))
    }

    /// Registers a buyer and logs them in at once (the browser's sign-up).
    pub async fn sign_up(&self, r: Registration) -> Result<IssuedToken, MarketError> {
        let credentials = Credentials {
            email: r.email.clone(),
            password: r.password.clone(),
        };
        self.register(r, &[]).await?;
        self.login(credentials).await
    }

    /// Checks credentials and issues a token. After too many failures for one e-mail within the
    /// window, answers `too_many_attempts` (with a retry time) without checking the password.
    pub async fn login(&self, c: Credentials) -> Result<IssuedToken, MarketError> {
        let email = c.email.trim().to_lowercase();
        let now = self.now();
        let since = now - self.config.login_window_ms;
        let (failures, window_start) = self.store.login_failures(&email, since).await?;
        if failures >= self.config.login_max_failures {
            let wait_ms = window_start + self.config.login_window_ms - now;
            let mut e = MarketError::new(
                Code::TooManyAttempts,
                "too many failed logins; try again later",
            );
            e.retry_after = Some(u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1));
            return Err(e);
        }
        let user = self.store.user_by_email(&email).await?;
        let ok = match &user {
            Some(u) => verify_password(&c.password, &u.password_hash),
            None => {
                // Spend the same time as a real check so timing does not reveal accounts.
                let _ = hash_password(&c.password);
                false
            }
        };
        let Some(user) = user.filter(|_| ok) else {
            self.store.record_login_failure(&email, now, since).await?;
            return Err(MarketError::new(
                Code::InvalidCredentials,
                "wrong e-mail or password",
            ));
        };
        self.store.clear_login_failures(&email).await?;
        if user.suspended_at.is_some() {
            return Err(MarketError::new(
                Code::AccountSuspended,
                "this account is suspended; contact the marketplace",
            ));
        }
        self.issue_token(user, "login").await
    }

    /// Issues a new named token for an authenticated actor.
    pub async fn create_token(
        &self,
        actor: &Actor,
        name: &str,
    ) -> Result<IssuedToken, MarketError> {
        let name = clean_name(name, 60, Code::InvalidName, "a token name")?;
        let user = self.user_record(&actor.user_id).await?;
        self.issue_token(user, &name).await
    }

    async fn issue_token(&self, user: UserRecord, name: &str) -> Result<IssuedToken, MarketError> {
        let mut secret = [0u8; 32];
        OsRng.fill_bytes(&mut secret);
        let token = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(secret));
        let record = TokenRecord {
            id: TokenId::generate().to_string(),
            user_id: user.id.clone(),
            token_hash: token_hash(&token),
            name: name.to_owned(),
            created_at: self.now(),
            revoked_at: None,
        };
        self.store.insert_token(&record).await?;
        let roles = self.store.roles_of(&user.id).await?;
        Ok(IssuedToken {
            id: record.id,
            token,
            name: record.name,
            user: user_view(user, roles),
        })
    }

    /// The actor behind a bearer secret, or `unauthenticated`.
    pub async fn authenticate(&self, secret: &str) -> Result<Actor, MarketError> {
        let unauthenticated =
            || MarketError::new(Code::Unauthenticated, "a valid bearer token is required");
        if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 100 {
            return Err(unauthenticated());
        }
        let hash = token_hash(secret);
        if let Some((actor, refresh)) = self.inner.cache.token(&hash) {
            if refresh == Refresh::Due {
                tokio::spawn(self.clone().refresh_token(hash));
            }
            return Ok(actor);
        }
        self.load_token(hash).await?.ok_or_else(unauthenticated)
    }

    /// Reads a token and caches its actor; `None` if it is revoked, expired or unknown.
    async fn load_token(&self, hash: String) -> Result<Option<Actor>, MarketError> {
        let Some((token, roles)) = self.store.live_token(&hash).await? else {
            self.inner.cache.forget_token(&hash);
            return Ok(None);
        };
        let actor = Actor {
            user_id: UserId::parse(&token.user_id)?,
            roles: roles.iter().filter_map(|r| Role::parse(r).ok()).collect(),
            token_id: token.id,
        };
        self.inner.cache.put_token(hash, actor.clone());
        Ok(Some(actor))
    }

    /// [`Self::load_token`] in the background; a failed read leaves the entry to its TTL.
    async fn refresh_token(self, hash: String) {
        if let Err(e) = self.load_token(hash).await {
            tracing::debug!(error = %e, "rereading a token failed");
        }
    }

    /// Revokes the token the actor is using (logout).
    pub async fn logout(&self, actor: &Actor) -> Result<(), MarketError> {
        self.revoke_token(actor, &actor.token_id).await
    }

    /// Revokes one of the actor's tokens; another user's token is `not_found`.
    pub async fn revoke_token(&self, actor: &Actor, token_id: &str) -> Result<(), MarketError> {
        let id = TokenId::parse(token_id)?;
        self.inner.cache.drop_token(id.as_str());
        self.store
            .revoke_token(id.as_str(), actor.user_id.as_str(), self.now())
            .await
            .map_err(|_| MarketError::not_found("token"))
    }

    /// The actor's tokens, newest first.
    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<TokenView>, MarketError> {
        let tokens = self.store.tokens_of(actor.user_id.as_str()).await?;
        Ok(tokens
            .into_iter()
            .map(|t| TokenView {
                id: t.id,
                name: t.name,
                created_at: rfc3339(t.created_at),
                revoked_at: t.revoked_at.map(rfc3339),
            })
            .collect())
    }

    /// The actor's own account.
    pub async fn me(&self, actor: &Actor) -> Result<UserView, MarketError> {
        let user = self.user_record(&actor.user_id).await?;
        let roles = self.store.roles_of(&user.id).await?;
        Ok(user_view(user, roles))
    }

    /// Suspends or reinstates an account (operators only; not their own). Suspension revokes
    /// every token of the account at once, so its sessions end and it cannot log in.
    pub async fn suspend_user(
        &self,
        actor: &Actor,
        user_id: &str,
        suspended: bool,
    ) -> Result<UserView, MarketError> {
        actor.require(Role::Operator)?;
        let id = UserId::parse(user_id).map_err(|_| MarketError::not_found("user"))?;
        if id == actor.user_id {
            return Err(MarketError::new(
                Code::CannotSuspendSelf,
                "an operator cannot suspend their own account",
            ));
        }
        let at = suspended.then(|| self.now());
        if !self.store.set_user_suspended(id.as_str(), at).await? {
            return Err(MarketError::not_found("user"));
        }
        self.inner.cache.drop_tokens();
        let user = self.user_record(&id).await?;
        let roles = self.store.roles_of(&user.id).await?;
        Ok(user_view(user, roles))
    }

    /// Accounts, newest first (operators only).
    pub async fn list_users(
        &self,
        actor: &Actor,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<crate::page::Page<UserView>, MarketError> {
        actor.require(Role::Operator)?;
        let limit = crate::page::limit(limit)?;
        let rows = self
            .store
            .list_users(crate::page::decode(cursor)?, limit + 1)
            .await?;
        let mut views = Vec::with_capacity(rows.len());
        for u in rows {
            let roles = self.store.roles_of(&u.id).await?;
            views.push((u.created_at, user_view(u, roles)));
        }
        Ok(crate::page::paginate(
            views,
            limit,
            |(t, v)| (*t, v.id.clone()),
            |(_, v)| v,
        ))
    }

    async fn user_record(&self, id: &UserId) -> Result<UserRecord, MarketError> {
        self.store
            .user_by_id(id.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("user"))
    }
}
