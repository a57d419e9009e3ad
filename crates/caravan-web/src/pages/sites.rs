//! Campaign sites in the browser: `/c/{slug}` with its theme and blocks in the visitor's
//! language, and its forms — vote, answer the quiz, cheer (signed-in visitors). The poll's
//! counts follow over server-sent events (`site.js`, an enhancement only).

use super::charity::MeterPanel;
use super::chrome::Chrome;
use super::extract::{CsrfForm, Page, SignedIn};
use super::festival::{deal_row, DealRow};
use super::i18n::Tr;
use super::posts::PostCard;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use caravan_domain::Currency;
use caravan_market::sites::engagement::{AnswersInput, CheerInput, PollView, QuizView, VoteInput};
use caravan_market::sites::page::{BlockView, SitePageView};
use caravan_market::ErrorKind;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A poll as the page shows it.
pub(crate) struct PollRow {
    id: String,
    question: String,
    /// (key, label, votes shown, percent, mine).
    options: Vec<(String, String, String, i64, bool)>,
    can_vote: bool,
    total: String,
}

/// A quiz question as the page shows it: (field name, question, options (key, label)).
type QuestionRow = (String, String, Vec<(String, String)>);

/// A quiz as the page shows it.
pub(crate) struct QuizRow {
    id: String,
    title: String,
    questions: Vec<QuestionRow>,
    result: Option<String>,
}

/// A block as the page shows it.
pub(crate) struct BlockRow {
    kind: String,
    title: String,
    paragraphs: Vec<String>,
    countdown: Option<(String, String)>,
    /// (href, title, image, price).
    cards: Vec<(String, String, Option<String>, String)>,
    deals: Vec<DealRow>,
    posts: Vec<PostCard>,
    meter: Option<MeterPanel>,
    poll: Option<PollRow>,
    quiz: Option<QuizRow>,
    /// (team, country name, count).
    cheers: Vec<(String, String, i64)>,
    /// (rank, handle, sales).
    leaders: Vec<(usize, String, String)>,
}

#[derive(Template)]
#[template(path = "site.html")]
struct SitePage {
    tr: Tr,
    chrome: Chrome,
    s: SitePageView,
    state: String,
    blocks: Vec<BlockRow>,
    signed_in: bool,
}

/// `?preview=1`: operators see a site outside its schedule.
#[derive(Debug, Default, Deserialize)]
pub struct PreviewQuery {
    preview: Option<String>,
}

/// `GET /c/{slug}`.
pub async fn site(page: Page, Path(slug): Path<String>, Query(q): Query<PreviewQuery>) -> Response {
    let actor = page.session.0.as_ref();
    let currency = Currency::parse(&page.prefs.currency).unwrap_or(Currency::EUR);
    let preview = q.preview.is_some();
    let m = &page.state.market;
    let s = match m
        .site_page(&slug, page.prefs.locale, currency, actor, preview)
        .await
    {
        Ok(s) => s,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return super::not_found(&page.state, &page.headers, &page.prefs, &page.session).await
        }
        Err(e) if e.kind() == ErrorKind::Gone => {
            let text = page.tr().t("site-archived");
            return super::message_status(&page, axum::http::StatusCode::GONE, &text, "/").await;
        }
        Err(e) => return page.failed(e, "/").await,
    };
    let tr = page.tr();
    let body = SitePage {
        state: tr.t(&format!("site-state-{}", s.state)),
        blocks: s.blocks.iter().map(|b| block_row(b, tr)).collect(),
        signed_in: actor.is_some(),
        chrome: page.chrome(&format!("/c/{slug}")).await,
        s,
        tr,
    };
    page.html(body.render())
}

fn block_row(b: &BlockView, tr: Tr) -> BlockRow {
    BlockRow {
        kind: b.kind.clone(),
        title: b.title.clone(),
        paragraphs: b
            .body
            .split('\n')
            .filter(|p| !p.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        countdown: b.countdown_to.as_ref().map(|at| {
            let key = format!(
                "site-countdown-{}",
                b.countdown.as_deref().unwrap_or("starts")
            );
            (
                at.clone(),
                tr.t1(&key, "when", &super::festival::when(tr, at)),
            )
        }),
        cards: b
            .products
            .iter()
            .map(|p| {
                (
                    format!("/p/{}", p.id),
                    p.title.clone(),
                    p.image.clone(),
                    tr.money(p.price.amount_minor, &p.price.currency),
                )
            })
            .collect(),
        deals: b.deals.iter().map(|d| deal_row(d, tr)).collect(),
        posts: super::posts::cards(b.posts.clone(), tr),
        meter: b.meter.as_ref().map(|m| MeterPanel::new(m, tr)),
        poll: b.poll.as_ref().map(|p| poll_row(p, tr)),
        quiz: b.quiz.as_ref().map(|q| quiz_row(q, tr)),
        cheers: b
            .cheers
            .iter()
            .map(|c| (c.team.clone(), tr.country(&c.team), c.count))
            .collect(),
        leaders: b
            .leaders
            .iter()
            .map(|l| {
                (
                    l.rank,
                    l.handle.clone(),
                    tr.money(l.sales.amount_minor, &l.sales.currency),
                )
            })
            .collect(),
    }
}

fn poll_row(p: &PollView, tr: Tr) -> PollRow {
    let total = p.total.unwrap_or(0);
    PollRow {
        id: p.id.clone(),
        question: p.question.clone(),
        options: p
            .options
            .iter()
            .map(|o| {
                let votes = o.votes.unwrap_or(0);
                let percent = if total > 0 { votes * 100 / total } else { 0 };
                let shown = o.votes.map(|v| v.to_string()).unwrap_or_default();
                let mine = p.my_vote.as_deref() == Some(o.key.as_str());
                (o.key.clone(), o.label.clone(), shown, percent, mine)
            })
            .collect(),
        can_vote: p.my_vote.is_none() && !p.closed,
        total: p
            .total
            .map(|t| tr.t1("site-votes", "count", &t.to_string()))
            .unwrap_or_default(),
    }
}

fn quiz_row(q: &QuizView, tr: Tr) -> QuizRow {
    QuizRow {
        id: q.id.clone(),
        title: q.title.clone(),
        questions: q
            .questions
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let opts = x
                    .options
                    .iter()
                    .map(|o| (o.key.clone(), o.label.clone()))
                    .collect();
                (format!("q{i}"), x.text.clone(), opts)
            })
            .collect(),
        result: q.my_score.map(|s| {
            let score = tr.t2(
                "site-quiz-score",
                ("score", &s.to_string()),
                ("of", &q.questions.len().to_string()),
            );
            match &q.my_coupon {
                Some(code) => format!("{score} {}", tr.t1("site-quiz-won", "code", code)),
                None => score,
            }
        }),
    }
}

/// The vote form.
#[derive(Debug, Deserialize)]
pub struct VoteForm {
    option: String,
}

/// `POST /c/{slug}/polls/{id}`.
pub async fn vote(
    page: Page,
    SignedIn(actor): SignedIn,
    Path((slug, poll)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<VoteForm>,
) -> Response {
    let back = format!("/c/{slug}");
    let r = page
        .state
        .market
        .vote(
            &actor,
            &poll,
            VoteInput { option: f.option },
            page.prefs.locale,
        )
        .await;
    page.done(r.map(|_| ()), &format!("{back}#poll-{poll}"), &back)
        .await
}

/// `POST /c/{slug}/quizzes/{id}`: the answers as `q0`, `q1`… in order.
pub async fn answer(
    page: Page,
    SignedIn(actor): SignedIn,
    Path((slug, quiz)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let back = format!("/c/{slug}");
    let mut answers = Vec::new();
    while let Some(a) = f.get(&format!("q{}", answers.len())) {
        answers.push(a.clone());
    }
    let r = page
        .state
        .market
        .answer_quiz(&actor, &quiz, AnswersInput { answers }, page.prefs.locale)
        .await;
    page.done(r.map(|_| ()), &format!("{back}#quiz-{quiz}"), &back)
        .await
}

/// The cheer form.
#[derive(Debug, Deserialize)]
pub struct CheerForm {
    team: String,
}

/// `POST /c/{slug}/cheers`.
pub async fn cheer(
    page: Page,
    SignedIn(actor): SignedIn,
    Path(slug): Path<String>,
    CsrfForm(f): CsrfForm<CheerForm>,
) -> Response {
    let back = format!("/c/{slug}");
    let r = page
        .state
        .market
        .cheer(&actor, &slug, CheerInput { team: f.team })
        .await;
    page.done(r.map(|_| ()), &format!("{back}#cheers"), &back)
        .await
}

/// `GET /c/{slug}/polls/{id}/stream`: the poll's counts as the signed-in visitor sees them.
pub async fn poll_stream(page: Page, Path((_, poll)): Path<(String, String)>) -> Response {
    let actor = page.session.0.clone();
    match page
        .state
        .market
        .poll(&poll, page.prefs.locale, actor.as_ref())
        .await
    {
        Ok(_) => crate::sse::poll(page.state.market.clone(), poll, page.prefs.locale, actor),
        Err(e) => page.failed(e, "/").await.into_response(),
    }
}
