//! Campaign sites and their fan engagement: the site row (its blocks a JSON document rewritten
//! whole under a version guard), polls with one vote per account (the primary key decides a
//! race), quizzes with one attempt per account, and cheers counted per team under a quota per
//! account and day, checked and spent in one statement.

use crate::{Store, StoreError};

/// A campaign site as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SiteRecord {
    /// `sit_…`.
    pub id: String,
    /// `/c/{slug}`.
    pub slug: String,
    /// A palette name.
    pub theme: String,
    /// `/media/img_…`.
    pub logo: Option<String>,
    /// `/media/img_…`.
    pub hero: Option<String>,
    /// The festival campaign it belongs to, if any.
    pub campaign_id: Option<String>,
    /// The cause its meter shows, if any.
    pub cause_id: Option<String>,
    /// Schedule, UTC milliseconds.
    pub visible_from: i64,
    /// Schedule.
    pub live_from: i64,
    /// Schedule.
    pub live_until: i64,
    /// Schedule.
    pub archived_after: i64,
    /// JSON: locale → {title, tagline}.
    pub texts: String,
    /// JSON: the blocks, in order.
    pub blocks: String,
    /// Bumped by every edit.
    pub version: i64,
    /// UTC milliseconds.
    pub created_at: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
}

/// A poll or prediction.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PollRecord {
    /// `pol_…`.
    pub id: String,
    /// `sit_…`.
    pub site_id: String,
    /// poll | prediction.
    pub kind: String,
    /// JSON: locale → question.
    pub texts: String,
    /// JSON: [{key, texts: {locale: label}}].
    pub options: String,
    /// Votes close here.
    pub closes_at: i64,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// A quiz.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QuizRecord {
    /// `qui_…`.
    pub id: String,
    /// `sit_…`.
    pub site_id: String,
    /// JSON: locale → title.
    pub texts: String,
    /// JSON: [{texts, options: [{key, texts}], answer}].
    pub questions: String,
    /// Right answers needed for the coupon.
    pub pass_score: i64,
    /// The coupon a pass collects, if any.
    pub coupon_code: Option<String>,
    /// UTC milliseconds.
    pub created_at: i64,
}

const SITE_COLS: &str =
    "id, slug, theme, logo, hero, campaign_id, cause_id, visible_from, live_from, \
    live_until, archived_after, texts, blocks, version, created_at, updated_at";

/// Whether an insert-once wrote its row (`false`: a row with the same key was there first —
/// the database's unique violation decides a race).
fn first_time<T>(done: Result<T, sqlx::Error>) -> Result<bool, StoreError> {
    match done {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

impl Store {
    /// Records a site; `Conflict` if the slug is taken.
    pub async fn insert_site(&self, s: &SiteRecord) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO sites ({SITE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        ))
        .bind(&s.id)
        .bind(&s.slug)
        .bind(&s.theme)
        .bind(&s.logo)
        .bind(&s.hero)
        .bind(&s.campaign_id)
        .bind(&s.cause_id)
        .bind(s.visible_from)
        .bind(s.live_from)
        .bind(s.live_until)
        .bind(s.archived_after)
        .bind(&s.texts)
        .bind(&s.blocks)
        .bind(s.version)
        .bind(s.created_at)
        .bind(s.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Rewrites a site if it is still at `version`; `Stale` if it moved meanwhile.
    pub async fn update_site(&self, s: &SiteRecord, version: i64) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE sites SET theme = $1, logo = $2, hero = $3, campaign_id = $4, cause_id = $5, \
             visible_from = $6, live_from = $7, live_until = $8, archived_after = $9, texts = $10, \
             blocks = $11, version = version + 1, updated_at = $12 WHERE id = $13 AND version = $14",
        )
        .bind(&s.theme)
        .bind(&s.logo)
        .bind(&s.hero)
        .bind(&s.campaign_id)
        .bind(&s.cause_id)
        .bind(s.visible_from)
        .bind(s.live_from)
        .bind(s.live_until)
        .bind(s.archived_after)
        .bind(&s.texts)
        .bind(&s.blocks)
        .bind(s.updated_at)
        .bind(&s.id)
        .bind(version)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Stale);
        }
        Ok(())
    }

    /// The site with this id or slug.
    pub async fn site(&self, id_or_slug: &str) -> Result<Option<SiteRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SITE_COLS} FROM sites WHERE id = $1 OR slug = $1"
        ))
        .bind(id_or_slug)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Every site, latest live window first.
    pub async fn sites(&self) -> Result<Vec<SiteRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SITE_COLS} FROM sites ORDER BY live_from DESC, id LIMIT 200"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records a poll.
    pub async fn insert_poll(&self, p: &PollRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO polls (id, site_id, kind, texts, options, closes_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&p.id)
        .bind(&p.site_id)
        .bind(&p.kind)
        .bind(&p.texts)
        .bind(&p.options)
        .bind(p.closes_at)
        .bind(p.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The poll with this id.
    pub async fn poll(&self, id: &str) -> Result<Option<PollRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, site_id, kind, texts, options, closes_at, created_at FROM polls WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Records an account's vote; `false` if it had voted already.
    pub async fn vote(
        &self,
        poll: &str,
        user: &str,
        option: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO poll_votes (poll_id, user_id, option_key, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(poll)
        .bind(user)
        .bind(option)
        .bind(now)
        .execute(&self.pool)
        .await;
        first_time(done)
    }

    /// The option an account voted for, if it did.
    pub async fn my_vote(&self, poll: &str, user: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT option_key FROM poll_votes WHERE poll_id = $1 AND user_id = $2",
        )
        .bind(poll)
        .bind(user)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Votes per option.
    pub async fn poll_counts(&self, poll: &str) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT option_key, CAST(COUNT(*) AS BIGINT) FROM poll_votes WHERE poll_id = $1 GROUP BY option_key",
        )
        .bind(poll)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A site's polls and quizzes: (id, kind, texts JSON), oldest first.
    pub async fn engagements(
        &self,
        site: &str,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, kind, texts FROM polls WHERE site_id = $1              UNION ALL SELECT id, 'quiz', texts FROM quizzes WHERE site_id = $1 ORDER BY 1",
        )
        .bind(site)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records a quiz.
    pub async fn insert_quiz(&self, q: &QuizRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO quizzes (id, site_id, texts, questions, pass_score, coupon_code, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&q.id)
        .bind(&q.site_id)
        .bind(&q.texts)
        .bind(&q.questions)
        .bind(q.pass_score)
        .bind(&q.coupon_code)
        .bind(q.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The quiz with this id.
    pub async fn quiz(&self, id: &str) -> Result<Option<QuizRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, site_id, texts, questions, pass_score, coupon_code, created_at FROM quizzes WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Records an account's attempt; `false` if it had taken the quiz already.
    pub async fn attempt(
        &self,
        quiz: &str,
        user: &str,
        score: i64,
        coupon: Option<&str>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO quiz_attempts (quiz_id, user_id, score, coupon_code, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(quiz)
        .bind(user)
        .bind(score)
        .bind(coupon)
        .bind(now)
        .execute(&self.pool)
        .await;
        first_time(done)
    }

    /// An account's attempt: (score, coupon collected).
    pub async fn my_attempt(
        &self,
        quiz: &str,
        user: &str,
    ) -> Result<Option<(i64, Option<String>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT score, coupon_code FROM quiz_attempts WHERE quiz_id = $1 AND user_id = $2",
        )
        .bind(quiz)
        .bind(user)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// One cheer for `team` if the account's quota allows it (`max` a day, `gap` ms apart):
    /// the quota is checked and spent and the count moved in one transaction; `false` if the
    /// quota refused.
    pub async fn cheer(
        &self,
        site: &str,
        user: &str,
        team: &str,
        (day, now): (i64, i64),
        (max, gap): (i64, i64),
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO cheer_quota (site_id, user_id, day, count, last_at) VALUES ($1, $2, $3, 0, 0) \
             ON CONFLICT (site_id, user_id) DO NOTHING",
        )
        .bind(site)
        .bind(user)
        .bind(day)
        .execute(&mut *tx)
        .await?;
        let spent = sqlx::query(
            "UPDATE cheer_quota SET count = CASE WHEN day = $1 THEN count + 1 ELSE 1 END, day = $1, last_at = $2 \
             WHERE site_id = $3 AND user_id = $4 AND last_at <= $5 AND (day <> $1 OR count < $6)",
        )
        .bind(day)
        .bind(now)
        .bind(site)
        .bind(user)
        .bind(now - gap)
        .bind(max)
        .execute(&mut *tx)
        .await?;
        if spent.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO cheers (site_id, team, count) VALUES ($1, $2, 1) \
             ON CONFLICT (site_id, team) DO UPDATE SET count = cheers.count + 1",
        )
        .bind(site)
        .bind(team)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Cheers per team.
    pub async fn cheers(&self, site: &str) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT team, count FROM cheers WHERE site_id = $1 ORDER BY count DESC, team",
        )
        .bind(site)
        .fetch_all(&self.pool)
        .await?)
    }
}
