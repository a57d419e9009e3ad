//! Exchange rates: set by operators or imported from the ECB's daily reference-rate XML.

use crate::accounts::Actor;
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::fx::Rate;
use caravan_domain::{rfc3339, Currency};
use caravan_store::commerce::RateRecord;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A rate as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RateView {
    /// ISO 4217.
    pub currency: String,
    /// Units of the currency per euro, as a decimal string.
    pub per_eur: String,
    /// operator, ecb or demo.
    pub source: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// New rates: currency → units per euro (decimal string, e.g. `"1.0823"`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRates {
    /// Currency code → units per euro.
    pub rates: BTreeMap<String, String>,
}

fn view(r: RateRecord) -> RateView {
    let per_eur = Currency::parse(&r.currency)
        .map(|c| {
            Rate {
                currency: c,
                per_eur_e9: r.per_eur_e9,
            }
            .to_decimal_string()
        })
        .unwrap_or_default();
    RateView {
        currency: r.currency,
        per_eur,
        source: r.source,
        updated_at: rfc3339(r.updated_at),
    }
}

/// Parses the ECB daily reference-rate XML (`<Cube currency='USD' rate='1.0823'/>` elements).
pub fn parse_ecb(xml: &str) -> Result<Vec<Rate>, MarketError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut rates = Vec::new();
    let bad = |m: String| MarketError::new(Code::InvalidRatesFile, m);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e)) | Ok(Event::Start(e)) if e.local_name().as_ref() == b"Cube" => {
                let mut currency = None;
                let mut rate = None;
                for a in e.attributes().flatten() {
                    let v = String::from_utf8_lossy(&a.value).into_owned();
                    match a.key.local_name().as_ref() {
                        b"currency" => currency = Some(v),
                        b"rate" => rate = Some(v),
                        _ => {}
                    }
                }
                if let (Some(c), Some(r)) = (currency, rate) {
                    let c = Currency::parse(&c).map_err(|e| bad(e.message))?;
                    rates.push(Rate::parse(c, &r).map_err(|e| bad(e.message))?);
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(bad(format!("not ECB XML: {e}"))),
            _ => {}
        }
    }
    if rates.is_empty() {
        return Err(bad("no <Cube currency=… rate=…/> elements".to_owned()));
    }
    Ok(rates)
}

impl Market {
    /// Every rate.
    pub async fn rates(&self) -> Result<Vec<RateView>, MarketError> {
        Ok(self.store.rates().await?.into_iter().map(view).collect())
    }

    /// An operator sets rates.
    pub async fn set_rates(
        &self,
        actor: &Actor,
        r: SetRates,
    ) -> Result<Vec<RateView>, MarketError> {
        actor.require(Role::Operator)?;
        let mut rates = Vec::new();
        for (code, decimal) in &r.rates {
            let c = Currency::parse(code)?;
            if c == Currency::EUR {
                return Err(MarketError::new(
                    Code::InvalidRate,
                    "the euro is the reference; its rate is always 1",
                ));
            }
            rates.push(Rate::parse(c, decimal)?);
        }
        self.store_rates(&rates, "operator").await?;
        self.rates().await
    }

    /// Imports rates from ECB XML text (the CLI's `caravan rates import`); returns how many.
    pub async fn import_ecb(&self, xml: &str) -> Result<usize, MarketError> {
        let rates = parse_ecb(xml)?;
        self.store_rates(&rates, "ecb").await?;
        Ok(rates.len())
    }

    pub(crate) async fn store_rates(
        &self,
        rates: &[Rate],
        source: &str,
    ) -> Result<(), MarketError> {
        let now = self.now();
        let records: Vec<RateRecord> = rates
            .iter()
            .map(|r| RateRecord {
                currency: r.currency.code().to_owned(),
                per_eur_e9: r.per_eur_e9,
                source: source.to_owned(),
                updated_at: now,
            })
            .collect();
        self.store.set_rates(&records).await?;
        self.inner.cache.invalidate();
        Ok(())
    }

    /// The rate table, the euro included.
    pub(crate) async fn rate_table(&self) -> Result<HashMap<Currency, Rate>, MarketError> {
        let mut table: HashMap<Currency, Rate> = HashMap::new();
        table.insert(Currency::EUR, Rate::euro());
        for r in self.store.rates().await? {
            if let Ok(c) = Currency::parse(&r.currency) {
                table.insert(
                    c,
                    Rate {
                        currency: c,
                        per_eur_e9: r.per_eur_e9,
                    },
                );
            }
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_ecb;

    #[test]
    fn reads_the_ecb_daily_file() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <Cube><Cube time='2026-11-20'>
    <Cube currency='USD' rate='1.0823'/><Cube currency='JPY' rate='165.43'/><Cube currency='PLN' rate='4.2675'/>
  </Cube></Cube>
</gesmes:Envelope>"#;
        let rates = parse_ecb(xml).expect("parses");
        assert_eq!(rates.len(), 3);
        assert_eq!(rates[1].per_eur_e9, 165_430_000_000);
        let not_ecb = parse_ecb("<html/>").expect_err("not ECB");
        assert_eq!(not_ecb.code, "invalid_rates_file");
        assert!(parse_ecb("<Cube currency='XXX' rate='1'/>").is_err());
    }
}
