//! Fan engagement on campaign sites: polls and predictions (one vote per account, results
//! after voting or after the close), quizzes (one attempt per account; a pass collects the
//! quiz's coupon once) and cheers per team (signed-in accounts only, at most 20 a day per site,
//! 3 seconds apart). Every count is the database's, so repeats and races cannot inflate it.

use crate::accounts::Actor;
use crate::{Code, Market, MarketError};
use caravan_domain::account::{clean_name, Role};
use caravan_domain::id::{PollId, QuizId, TypedId};
use caravan_domain::locale::pick;
use caravan_domain::site::{option_keys, score, CHEERS_PER_DAY, CHEER_GAP_MS};
use caravan_domain::{parse_rfc3339, rfc3339, Country, Locale};
use caravan_store::sites::{PollRecord, QuizRecord};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const DAY_MS: i64 = 86_400_000;

/// An option of a poll or a quiz question: a key and its label per locale.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionInput {
    /// 1 to 30 of a-z, 0-9, - and _.
    pub key: String,
    /// Label per locale (English required).
    pub texts: BTreeMap<String, String>,
}

/// A new poll or prediction on a site.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PollInput {
    /// poll | prediction.
    pub kind: String,
    /// The question per locale (English required).
    pub texts: BTreeMap<String, String>,
    /// 2 to 8 options.
    pub options: Vec<OptionInput>,
    /// RFC 3339: votes close.
    pub closes_at: String,
}

/// One question of a quiz.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    /// The question per locale (English required).
    pub texts: BTreeMap<String, String>,
    /// 2 to 8 options.
    pub options: Vec<OptionInput>,
    /// The right option's key.
    pub answer: String,
}

/// A new quiz on a site.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizInput {
    /// The title per locale (English required).
    pub texts: BTreeMap<String, String>,
    /// 1 to 10 questions.
    pub questions: Vec<QuestionInput>,
    /// Right answers needed to win the coupon.
    pub pass_score: i64,
    /// A store's or the platform's coupon a pass collects into the buyer's wallet.
    #[serde(default)]
    pub coupon: Option<String>,
}

/// An option as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OptionView {
    /// Its key.
    pub key: String,
    /// In the caller's language.
    pub label: String,
    /// Votes (polls, once the caller voted or the poll closed).
    pub votes: Option<i64>,
}

/// A poll as a visitor sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PollView {
    /// `pol_…`.
    pub id: String,
    /// poll | prediction.
    pub kind: String,
    /// In the caller's language.
    pub question: String,
    /// The options, with counts when the caller may see them.
    pub options: Vec<OptionView>,
    /// Votes in all (with the counts).
    pub total: Option<i64>,
    /// RFC 3339.
    pub closes_at: String,
    /// Votes are closed.
    pub closed: bool,
    /// The caller's vote.
    pub my_vote: Option<String>,
}

/// A question as shown (its answer is not).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuestionView {
    /// In the caller's language.
    pub text: String,
    /// The options.
    pub options: Vec<OptionView>,
}

/// A quiz as a visitor sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuizView {
    /// `qui_…`.
    pub id: String,
    /// In the caller's language.
    pub title: String,
    /// The questions.
    pub questions: Vec<QuestionView>,
    /// Right answers needed for the coupon.
    pub pass_score: i64,
    /// A pass wins a coupon.
    pub has_coupon: bool,
    /// The caller's score, once they answered.
    pub my_score: Option<i64>,
    /// The coupon the caller won.
    pub my_coupon: Option<String>,
}

/// A vote.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteInput {
    /// The option's key.
    pub option: String,
}

/// A quiz's answers, one option key per question in order.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersInput {
    /// Option keys.
    pub answers: Vec<String>,
}

/// A cheer.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheerInput {
    /// The team (a country code).
    pub team: String,
}

/// A team's cheers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheerView {
    /// Country code.
    pub team: String,
    /// Cheers so far.
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredQuestion {
    texts: BTreeMap<String, String>,
    options: Vec<OptionInput>,
    answer: String,
}

fn bad(message: &str) -> MarketError {
    MarketError::new(Code::InvalidSite, message)
}

/// Texts per locale checked: English required, 1 to `max` characters each.
fn texts(
    raw: &BTreeMap<String, String>,
    max: usize,
) -> Result<BTreeMap<String, String>, MarketError> {
    if !raw.contains_key("en") {
        return Err(bad("texts need English"));
    }
    let mut out = BTreeMap::new();
    for (l, t) in raw {
        let locale = Locale::parse(l).map_err(|_| bad("an unknown language"))?;
        out.insert(
            locale.code().to_owned(),
            clean_name(t, max, Code::InvalidSite, "a text")?,
        );
    }
    Ok(out)
}

fn options(raw: &[OptionInput]) -> Result<Vec<OptionInput>, MarketError> {
    let keys: Vec<String> = raw.iter().map(|o| o.key.clone()).collect();
    option_keys(&keys)?;
    raw.iter()
        .map(|o| {
            Ok(OptionInput {
                key: o.key.clone(),
                texts: texts(&o.texts, 80)?,
            })
        })
        .collect()
}

/// The text of `texts` in `locale`, falling back to English, then to any.
pub(crate) fn text_in(texts: &BTreeMap<String, String>, locale: Locale) -> String {
    let list: Vec<(Locale, &String)> = texts
        .iter()
        .filter_map(|(l, t)| Some((Locale::parse(l).ok()?, t)))
        .collect();
    pick(&list, locale, Locale::En)
        .map(|t| (*t).clone())
        .unwrap_or_default()
}

fn to_json<T: Serialize>(v: &T) -> Result<String, MarketError> {
    serde_json::to_string(v).map_err(|e| MarketError::internal(e.to_string()))
}

impl Market {
    /// An operator adds a poll or prediction to a site.
    pub async fn create_poll(
        &self,
        actor: &Actor,
        site: &str,
        p: PollInput,
    ) -> Result<PollView, MarketError> {
        actor.require(Role::Operator)?;
        let s = self.site_named(site).await?;
        if p.kind != "poll" && p.kind != "prediction" {
            return Err(bad("a poll's kind is poll or prediction"));
        }
        let closes_at = parse_rfc3339(&p.closes_at).ok_or_else(|| bad("instants are RFC 3339"))?;
        let record = PollRecord {
            id: PollId::generate().to_string(),
            site_id: s.id,
            kind: p.kind,
            texts: to_json(&texts(&p.texts, 200)?)?,
            options: to_json(&options(&p.options)?)?,
            closes_at,
            created_at: self.now(),
        };
        self.store.insert_poll(&record).await?;
        self.poll_view(&record, Locale::En, None).await
    }

    /// An operator adds a quiz to a site.
    pub async fn create_quiz(
        &self,
        actor: &Actor,
        site: &str,
        q: QuizInput,
    ) -> Result<QuizView, MarketError> {
        actor.require(Role::Operator)?;
        let s = self.site_named(site).await?;
        if q.questions.is_empty() || q.questions.len() > 10 {
            return Err(bad("a quiz has 1 to 10 questions"));
        }
        let mut questions = Vec::new();
        for question in &q.questions {
            let opts = options(&question.options)?;
            if !opts.iter().any(|o| o.key == question.answer) {
                return Err(bad("a question's answer is one of its options"));
            }
            questions.push(StoredQuestion {
                texts: texts(&question.texts, 300)?,
                options: opts,
                answer: question.answer.clone(),
            });
        }
        let n = i64::try_from(questions.len()).unwrap_or(0);
        if !(1..=n).contains(&q.pass_score) {
            return Err(bad("a pass needs 1 to all of the questions right"));
        }
        let coupon = match q.coupon.as_deref().map(|c| c.trim().to_uppercase()) {
            Some(code) => Some(
                self.store
                    .coupon(&code)
                    .await?
                    .ok_or_else(|| bad("no such coupon"))?
                    .code,
            ),
            None => None,
        };
        let record = QuizRecord {
            id: QuizId::generate().to_string(),
            site_id: s.id,
            texts: to_json(&texts(&q.texts, 120)?)?,
            questions: to_json(&questions)?,
            pass_score: q.pass_score,
            coupon_code: coupon,
            created_at: self.now(),
        };
        self.store.insert_quiz(&record).await?;
        self.quiz_view(&record, Locale::En, None).await
    }

    /// A site's polls and quizzes for its editor: (id, poll | prediction | quiz, English text).
    pub async fn engagements(
        &self,
        actor: &Actor,
        site: &str,
    ) -> Result<Vec<(String, String, String)>, MarketError> {
        actor.require(Role::Operator)?;
        let s = self.site_named(site).await?;
        Ok(self
            .store
            .engagements(&s.id)
            .await?
            .into_iter()
            .map(|(id, kind, texts)| {
                let t: BTreeMap<String, String> = serde_json::from_str(&texts).unwrap_or_default();
                (id, kind, text_in(&t, Locale::En))
            })
            .collect())
    }

    /// A poll as `viewer` sees it.
    pub async fn poll(
        &self,
        id: &str,
        locale: Locale,
        viewer: Option<&Actor>,
    ) -> Result<PollView, MarketError> {
        let p = self
            .store
            .poll(id)
            .await?
            .ok_or_else(|| MarketError::not_found("poll"))?;
        self.poll_view(&p, locale, viewer).await
    }

    pub(crate) async fn poll_view(
        &self,
        p: &PollRecord,
        locale: Locale,
        viewer: Option<&Actor>,
    ) -> Result<PollView, MarketError> {
        let my_vote = match viewer {
            Some(a) => self.store.my_vote(&p.id, a.user_id.as_str()).await?,
            None => None,
        };
        let closed = self.now() >= p.closes_at;
        let counts: BTreeMap<String, i64> = if my_vote.is_some() || closed {
            self.store.poll_counts(&p.id).await?.into_iter().collect()
        } else {
            BTreeMap::new()
        };
        let shown = my_vote.is_some() || closed;
        let opts: Vec<OptionInput> = serde_json::from_str(&p.options).unwrap_or_default();
        let question: BTreeMap<String, String> = serde_json::from_str(&p.texts).unwrap_or_default();
        Ok(PollView {
            id: p.id.clone(),
            kind: p.kind.clone(),
            question: text_in(&question, locale),
            options: opts
                .iter()
                .map(|o| OptionView {
                    key: o.key.clone(),
                    label: text_in(&o.texts, locale),
                    votes: shown.then(|| counts.get(&o.key).copied().unwrap_or(0)),
                })
                .collect(),
            total: shown.then(|| counts.values().sum()),
            closes_at: rfc3339(p.closes_at),
            closed,
            my_vote,
        })
    }

    /// A signed-in account votes once; a second vote is 409 `already_voted`.
    pub async fn vote(
        &self,
        actor: &Actor,
        poll: &str,
        v: VoteInput,
        locale: Locale,
    ) -> Result<PollView, MarketError> {
        actor.require(Role::Buyer)?;
        let p = self
            .store
            .poll(poll)
            .await?
            .ok_or_else(|| MarketError::not_found("poll"))?;
        let opts: Vec<OptionInput> = serde_json::from_str(&p.options).unwrap_or_default();
        if self.now() >= p.closes_at || !opts.iter().any(|o| o.key == v.option) {
            return Err(MarketError::new(
                Code::InvalidVote,
                "no such option, or the poll is closed",
            ));
        }
        if !self
            .store
            .vote(&p.id, actor.user_id.as_str(), &v.option, self.now())
            .await?
        {
            return Err(MarketError::new(
                Code::AlreadyVoted,
                "this account has voted already",
            ));
        }
        self.poll_view(&p, locale, Some(actor)).await
    }

    /// A quiz as `viewer` sees it.
    pub async fn quiz(
        &self,
        id: &str,
        locale: Locale,
        viewer: Option<&Actor>,
    ) -> Result<QuizView, MarketError> {
        let q = self
            .store
            .quiz(id)
            .await?
            .ok_or_else(|| MarketError::not_found("quiz"))?;
        self.quiz_view(&q, locale, viewer).await
    }

    pub(crate) async fn quiz_view(
        &self,
        q: &QuizRecord,
        locale: Locale,
        viewer: Option<&Actor>,
    ) -> Result<QuizView, MarketError> {
        let mine = match viewer {
            Some(a) => self.store.my_attempt(&q.id, a.user_id.as_str()).await?,
            None => None,
        };
        let questions: Vec<StoredQuestion> = serde_json::from_str(&q.questions).unwrap_or_default();
        let title: BTreeMap<String, String> = serde_json::from_str(&q.texts).unwrap_or_default();
        Ok(QuizView {
            id: q.id.clone(),
            title: text_in(&title, locale),
            questions: questions
                .iter()
                .map(|s| QuestionView {
                    text: text_in(&s.texts, locale),
                    options: s
                        .options
                        .iter()
                        .map(|o| OptionView {
                            key: o.key.clone(),
                            label: text_in(&o.texts, locale),
                            votes: None,
                        })
                        .collect(),
                })
                .collect(),
            pass_score: q.pass_score,
            has_coupon: q.coupon_code.is_some(),
            my_score: mine.as_ref().map(|m| m.0),
            my_coupon: mine.and_then(|m| m.1),
        })
    }

    /// A signed-in account answers a quiz once; a pass collects its coupon (once per account).
    pub async fn answer_quiz(
        &self,
        actor: &Actor,
        quiz: &str,
        a: AnswersInput,
        locale: Locale,
    ) -> Result<QuizView, MarketError> {
        actor.require(Role::Buyer)?;
        let q = self
            .store
            .quiz(quiz)
            .await?
            .ok_or_else(|| MarketError::not_found("quiz"))?;
        let questions: Vec<StoredQuestion> = serde_json::from_str(&q.questions).unwrap_or_default();
        let fits = a.answers.len() == questions.len()
            && questions
                .iter()
                .zip(&a.answers)
                .all(|(s, k)| s.options.iter().any(|o| &o.key == k));
        if !fits {
            return Err(MarketError::new(
                Code::InvalidAnswers,
                "answer each question with one of its options",
            ));
        }
        let key: Vec<String> = questions.iter().map(|s| s.answer.clone()).collect();
        let got = score(&a.answers, &key);
        let coupon = q.coupon_code.clone().filter(|_| got >= q.pass_score);
        let user = actor.user_id.as_str();
        if !self
            .store
            .attempt(&q.id, user, got, coupon.as_deref(), self.now())
            .await?
        {
            return Err(MarketError::new(
                Code::AlreadyAnswered,
                "this account has taken this quiz already",
            ));
        }
        if let Some(code) = &coupon {
            self.collect_coupon(actor, code).await?;
        }
        self.quiz_view(&q, locale, Some(actor)).await
    }

    /// A signed-in account cheers for a team of a site's cheers block.
    pub async fn cheer(
        &self,
        actor: &Actor,
        site: &str,
        c: CheerInput,
    ) -> Result<Vec<CheerView>, MarketError> {
        actor.require(Role::Buyer)?;
        let s = self.site_named(site).await?;
        let team = Country::parse(&c.team)?.code().to_owned();
        let teams: Vec<String> = super::blocks_of(&s)
            .into_iter()
            .flat_map(|b| b.config.teams)
            .collect();
        if !teams.contains(&team) {
            return Err(MarketError::new(
                Code::InvalidVote,
                "no such team on this site",
            ));
        }
        let now = self.now();
        let spent = self
            .store
            .cheer(
                &s.id,
                actor.user_id.as_str(),
                &team,
                (now / DAY_MS, now),
                (CHEERS_PER_DAY, CHEER_GAP_MS),
            )
            .await?;
        if !spent {
            return Err(MarketError::new(
                Code::TooManyCheers,
                "wait a moment before cheering again",
            ));
        }
        self.cheers(&s.id).await
    }

    /// Cheers per team, most first.
    pub async fn cheers(&self, site_id: &str) -> Result<Vec<CheerView>, MarketError> {
        Ok(self
            .store
            .cheers(site_id)
            .await?
            .into_iter()
            .map(|(team, count)| CheerView { team, count })
            .collect())
    }
}
