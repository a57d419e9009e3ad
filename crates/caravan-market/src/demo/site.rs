//! The demo's campaign site: "Winter Youth Games" at `/c/winter-youth-games` in the eight
//! languages — a hero counting down to the games, a curated collection of warm scarves, the
//! "Learn to swim" meter with products of the stores that give to it, a medal poll (three
//! demo buyers voted; Jan, the Polish one, has not), a quiz whose pass collects a coupon,
//! cheers by country, and this month's creators.

use crate::accounts::Actor;
use crate::festival::CouponInput;
use crate::sites::engagement::{
    AnswersInput, CheerInput, OptionInput, PollInput, QuestionInput, QuizInput, VoteInput,
};
use crate::sites::{BlockConfig, BlockInput, BlockText, SiteInput, SiteText};
use crate::{Market, MarketError, DAY_MS};
use caravan_domain::{rfc3339, Locale};
use std::collections::BTreeMap;

const LOCALES: [&str; 8] = ["en", "ru", "fr", "es", "pl", "it", "tr", "zh"];

const TITLE: [&str; 8] = [
    "Winter Youth Games",
    "Зимние юношеские игры",
    "Jeux de la jeunesse d'hiver",
    "Juegos Juveniles de Invierno",
    "Zimowe Igrzyska Młodzieży",
    "Giochi invernali della gioventù",
    "Kış Gençlik Oyunları",
    "冬季青年运动会",
];
const TAGLINE: [&str; 8] = ["Two weeks on snow and ice — and every sale helps children learn to swim.", "Две недели на снегу и льду — и каждая покупка помогает детям научиться плавать.", "Deux semaines sur la neige et la glace — et chaque achat aide des enfants à apprendre à nager.", "Dos semanas sobre nieve y hielo, y cada compra ayuda a niños a aprender a nadar.", "Dwa tygodnie na śniegu i lodzie — a każdy zakup pomaga dzieciom nauczyć się pływać.", "Due settimane su neve e ghiaccio — e ogni acquisto aiuta i bambini a imparare a nuotare.", "Karda ve buzda iki hafta — her alışveriş çocukların yüzmeyi öğrenmesine yardım ediyor.", "冰雪上的两周——每一笔购买都帮助孩子们学会游泳。"];
const HERO: [&str; 8] = [
    "The games begin soon",
    "Игры скоро начнутся",
    "Les jeux commencent bientôt",
    "Los juegos empiezan pronto",
    "Igrzyska już wkrótce",
    "I giochi iniziano presto",
    "Oyunlar yakında başlıyor",
    "运动会即将开幕",
];
const WARM: [&str; 8] = [
    "Warm for the stands",
    "Тепло на трибунах",
    "Au chaud dans les tribunes",
    "Abrigados en la grada",
    "Ciepło na trybunach",
    "Al caldo sugli spalti",
    "Tribünde sıcacık",
    "看台保暖",
];
const CAUSE: [&str; 8] = [
    "Every sale helps",
    "Каждая покупка помогает",
    "Chaque achat aide",
    "Cada compra ayuda",
    "Każdy zakup pomaga",
    "Ogni acquisto aiuta",
    "Her alışveriş yardım eder",
    "每笔购买都在帮助",
];
const GIVE: [&str; 8] = [
    "Shop and give",
    "Покупайте и помогайте",
    "Achetez et donnez",
    "Compra y ayuda",
    "Kupuj i pomagaj",
    "Compra e dona",
    "Alışveriş yap, destek ol",
    "购物即捐赠",
];
const POLL: [&str; 8] = [
    "Which country wins the most medals?",
    "Какая страна завоюет больше всего медалей?",
    "Quel pays gagnera le plus de médailles ?",
    "¿Qué país ganará más medallas?",
    "Który kraj zdobędzie najwięcej medali?",
    "Quale paese vincerà più medaglie?",
    "En çok madalyayı hangi ülke kazanacak?",
    "哪个国家将获得最多奖牌？",
];
const CHEER: [&str; 8] = [
    "Cheer for your country",
    "Болейте за свою страну",
    "Encouragez votre pays",
    "Anima a tu país",
    "Kibicuj swojemu krajowi",
    "Tifa per il tuo paese",
    "Ülkene tezahürat yap",
    "为你的国家加油",
];
const QUIZ: [&str; 8] = [
    "Winter quiz: win 10% off",
    "Зимняя викторина: скидка 10%",
    "Quiz d'hiver : gagnez 10 %",
    "Quiz de invierno: gana un 10 %",
    "Zimowy quiz: wygraj 10% rabatu",
    "Quiz invernale: vinci il 10%",
    "Kış testi: %10 indirim kazan",
    "冬季问答：赢取九折优惠",
];
const Q1: [&str; 8] = [
    "How many players does an ice hockey team have on the ice?",
    "Сколько игроков одной команды на льду в хоккее?",
    "Combien de joueurs d'une équipe sont sur la glace au hockey ?",
    "¿Cuántos jugadores de un equipo hay en el hielo en hockey?",
    "Ilu zawodników jednej drużyny jest na lodzie w hokeju?",
    "Quanti giocatori di una squadra sono sul ghiaccio nell'hockey?",
    "Buz hokeyinde bir takımın buzda kaç oyuncusu olur?",
    "冰球比赛中每队场上有几名球员？",
];
const Q2: [&str; 8] = [
    "Which sport uses stones and brooms?",
    "В каком виде спорта есть камни и щётки?",
    "Quel sport utilise des pierres et des balais ?",
    "¿Qué deporte usa piedras y escobas?",
    "W którym sporcie używa się kamieni i szczotek?",
    "Quale sport usa pietre e scope?",
    "Hangi sporda taş ve süpürge kullanılır?",
    "哪项运动使用冰壶石和冰刷？",
];
const CURLING: [&str; 8] = [
    "Curling",
    "Кёрлинг",
    "Curling",
    "Curling",
    "Curling",
    "Curling",
    "Curling",
    "冰壶",
];
const BIATHLON: [&str; 8] = [
    "Biathlon",
    "Биатлон",
    "Biathlon",
    "Biatlón",
    "Biathlon",
    "Biathlon",
    "Biatlon",
    "冬季两项",
];
const LEADERS: [&str; 8] = [
    "Creators of the month",
    "Авторы месяца",
    "Créateurs du mois",
    "Creadores del mes",
    "Twórcy miesiąca",
    "Creator del mese",
    "Ayın içerik üreticileri",
    "本月创作者",
];

/// The same text in every language.
fn all(t: &[&str; 8]) -> BTreeMap<String, String> {
    LOCALES
        .iter()
        .zip(t)
        .map(|(l, s)| ((*l).to_owned(), (*s).to_owned()))
        .collect()
}

fn titled(kind: &str, t: &[&str; 8], config: BlockConfig) -> BlockInput {
    let texts = all(t)
        .into_iter()
        .map(|(l, title)| {
            (
                l,
                BlockText {
                    title,
                    body: String::new(),
                },
            )
        })
        .collect();
    BlockInput {
        kind: kind.to_owned(),
        texts,
        config,
    }
}

fn option(key: &str, t: &[&str; 8]) -> OptionInput {
    OptionInput {
        key: key.to_owned(),
        texts: all(t),
    }
}

fn same(key: &str, label: &str) -> OptionInput {
    OptionInput {
        key: key.to_owned(),
        texts: BTreeMap::from([("en".to_owned(), label.to_owned())]),
    }
}

impl Market {
    /// The demo's campaign site (see the module's documentation).
    pub(super) async fn seed_site(
        &self,
        operator: &Actor,
        (cause, giving): (&str, Vec<String>),
        buyers: &[(Actor, &'static str)],
    ) -> Result<(), MarketError> {
        let now = self.now();
        let site = self
            .create_site(operator, site_input(now, cause, Vec::new()))
            .await?;
        let poll = self
            .create_poll(operator, &site.id, medal_poll(now))
            .await?;
        let quiz = self
            .create_quiz(operator, &site.id, self.winter_quiz(operator, now).await?)
            .await?;
        let scarves = self
            .categories(Locale::En)
            .await?
            .into_iter()
            .find(|c| c.slug == "scarves")
            .map(|c| c.id);
        let blocks = site_blocks(scarves, giving, &poll.id, &quiz.id);
        self.update_site(operator, &site.id, site_input(now, cause, blocks))
            .await?;
        // The demo buyers but Jan have voted and cheered already.
        for (i, (buyer, country)) in buyers.iter().enumerate().filter(|(_, b)| b.1 != "PL") {
            let key = ["no", "de", "it", "pl"][i % 4];
            self.vote(
                buyer,
                &poll.id,
                VoteInput {
                    option: key.to_owned(),
                },
                Locale::En,
            )
            .await?;
            let team = if ["PL", "IT", "NO", "DE", "FR", "ES"].contains(country) {
                country
            } else {
                &"PL"
            };
            self.cheer(
                buyer,
                &site.id,
                CheerInput {
                    team: (*team).to_owned(),
                },
            )
            .await?;
        }
        if let Some((anna, _)) = buyers.first() {
            let answers = AnswersInput {
                answers: vec!["six".into(), "curling".into()],
            };
            self.answer_quiz(anna, &quiz.id, answers, Locale::Ru)
                .await?;
        }
        Ok(())
    }

    /// The quiz and the platform coupon a pass collects (10% off, 500 uses).
    async fn winter_quiz(&self, operator: &Actor, now: i64) -> Result<QuizInput, MarketError> {
        let coupon = CouponInput {
            code: "GAMES10".into(),
            kind: "percent".into(),
            value: 1000,
            currency: None,
            min_spend_minor: 0,
            valid_from: rfc3339(now - DAY_MS),
            valid_to: rfc3339(now + 30 * DAY_MS),
            budget_uses: Some(500),
            budget_minor: None,
            per_buyer: 1,
            collect: true,
            campaign_id: None,
        };
        self.create_platform_coupon(operator, coupon).await?;
        Ok(QuizInput {
            texts: all(&QUIZ),
            questions: vec![
                QuestionInput {
                    texts: all(&Q1),
                    options: vec![same("five", "5"), same("six", "6"), same("eleven", "11")],
                    answer: "six".into(),
                },
                QuestionInput {
                    texts: all(&Q2),
                    options: vec![option("curling", &CURLING), option("biathlon", &BIATHLON)],
                    answer: "curling".into(),
                },
            ],
            pass_score: 2,
            coupon: Some("GAMES10".into()),
        })
    }
}

fn medal_poll(now: i64) -> PollInput {
    let country = |key: &str, names: [&str; 8]| OptionInput {
        key: key.to_owned(),
        texts: all(&names),
    };
    PollInput {
        kind: "prediction".into(),
        texts: all(&POLL),
        options: vec![
            country(
                "no",
                [
                    "Norway",
                    "Норвегия",
                    "Norvège",
                    "Noruega",
                    "Norwegia",
                    "Norvegia",
                    "Norveç",
                    "挪威",
                ],
            ),
            country(
                "de",
                [
                    "Germany",
                    "Германия",
                    "Allemagne",
                    "Alemania",
                    "Niemcy",
                    "Germania",
                    "Almanya",
                    "德国",
                ],
            ),
            country(
                "it",
                [
                    "Italy",
                    "Италия",
                    "Italie",
                    "Italia",
                    "Włochy",
                    "Italia",
                    "İtalya",
                    "意大利",
                ],
            ),
            country(
                "pl",
                [
                    "Poland",
                    "Польша",
                    "Pologne",
                    "Polonia",
                    "Polska",
                    "Polonia",
                    "Polonya",
                    "波兰",
                ],
            ),
        ],
        closes_at: rfc3339(now + 16 * DAY_MS),
    }
}

fn site_blocks(
    scarves: Option<String>,
    giving: Vec<String>,
    poll: &str,
    quiz: &str,
) -> Vec<BlockInput> {
    let hero = titled("hero", &HERO, BlockConfig::default());
    let collection = BlockConfig {
        category: scarves,
        ..BlockConfig::default()
    };
    let teams = ["NO", "DE", "IT", "PL", "FR", "ES"]
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
    vec![
        hero,
        titled("collection", &WARM, collection),
        titled("meter", &CAUSE, BlockConfig::default()),
        titled(
            "collection",
            &GIVE,
            BlockConfig {
                products: giving,
                ..BlockConfig::default()
            },
        ),
        titled(
            "poll",
            &POLL,
            BlockConfig {
                poll: Some(poll.to_owned()),
                ..BlockConfig::default()
            },
        ),
        titled(
            "quiz",
            &QUIZ,
            BlockConfig {
                quiz: Some(quiz.to_owned()),
                ..BlockConfig::default()
            },
        ),
        titled(
            "cheers",
            &CHEER,
            BlockConfig {
                teams,
                ..BlockConfig::default()
            },
        ),
        titled("leaderboard", &LEADERS, BlockConfig::default()),
    ]
}

/// Visible now, live from in two days for two weeks, archived two months later.
fn site_input(now: i64, cause: &str, blocks: Vec<BlockInput>) -> SiteInput {
    let texts = LOCALES
        .iter()
        .enumerate()
        .map(|(i, l)| {
            (
                (*l).to_owned(),
                SiteText {
                    title: TITLE[i].to_owned(),
                    tagline: TAGLINE[i].to_owned(),
                },
            )
        })
        .collect();
    SiteInput {
        slug: "winter-youth-games".into(),
        theme: "glacier".into(),
        texts,
        campaign: None,
        cause: Some(cause.to_owned()),
        logo: None,
        hero: None,
        visible_from: rfc3339(now - DAY_MS),
        live_from: rfc3339(now + 2 * DAY_MS),
        live_until: rfc3339(now + 16 * DAY_MS),
        archived_after: rfc3339(now + 60 * DAY_MS),
        blocks,
    }
}
