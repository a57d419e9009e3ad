//! Shipping rules: per destination (or the rest of the world) and method, a price by weight band,
//! an optional free-shipping threshold, and a delivery estimate.

use crate::catalogue::MAX_PRICE_MINOR;
use crate::country::Country;
use crate::error::{Code, DomainError};
use serde::{Deserialize, Serialize};

/// How fast a parcel travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShippingMethod {
    /// Cheapest, slowest.
    Economy,
    /// The usual.
    Standard,
    /// Fastest.
    Express,
}

impl ShippingMethod {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ShippingMethod::Economy => "economy",
            ShippingMethod::Standard => "standard",
            ShippingMethod::Express => "express",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "economy" => Ok(ShippingMethod::Economy),
            "standard" => Ok(ShippingMethod::Standard),
            "express" => Ok(ShippingMethod::Express),
            _ => Err(DomainError::new(
                Code::UnknownShippingMethod,
                format!("no shipping method {s:?}"),
            )),
        }
    }
}

/// Up to `up_to_grams`, a parcel costs `price_minor` (merchant's currency).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightBand {
    /// Upper weight bound of the band, inclusive.
    pub up_to_grams: i64,
    /// Price in minor units.
    pub price_minor: i64,
}

/// One shipping option of a merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingRule {
    /// Destination; `None` means every country without a rule of its own for this method.
    pub destination: Option<Country>,
    /// Method.
    pub method: ShippingMethod,
    /// Bands by increasing weight.
    pub bands: Vec<WeightBand>,
    /// Free when the goods of the parcel cost at least this.
    pub free_over_minor: Option<i64>,
    /// Delivery estimate, in days.
    pub min_days: i64,
    /// Delivery estimate, in days.
    pub max_days: i64,
}

impl ShippingRule {
    /// Checks bands (1..=10, strictly increasing weights, prices ≥ 0) and days (1..=120, min ≤ max).
    pub fn validate(&self) -> Result<(), DomainError> {
        let bad = |m: &str| Err(DomainError::new(Code::InvalidShipping, m.to_owned()));
        if self.bands.is_empty() || self.bands.len() > 10 {
            return bad("a rule has 1 to 10 weight bands");
        }
        let increasing = self
            .bands
            .windows(2)
            .all(|w| w[0].up_to_grams < w[1].up_to_grams);
        if !increasing
            || self
                .bands
                .iter()
                .any(|b| b.up_to_grams <= 0 || !(0..=MAX_PRICE_MINOR).contains(&b.price_minor))
        {
            return bad("weight bands rise strictly and prices are 0 to 10^12 minor units");
        }
        if !(1..=120).contains(&self.min_days) || !(self.min_days..=120).contains(&self.max_days) {
            return bad("delivery takes 1 to 120 days, min before max");
        }
        if self
            .free_over_minor
            .is_some_and(|f| !(0..=MAX_PRICE_MINOR).contains(&f))
        {
            return bad("a free-shipping threshold is 0 to 10^12 minor units");
        }
        Ok(())
    }

    /// The price for a parcel of `grams` whose goods cost `goods_minor`; `None` if too heavy.
    pub fn quote(&self, grams: i64, goods_minor: i64) -> Option<i64> {
        let band = self.bands.iter().find(|b| grams <= b.up_to_grams)?;
        if self.free_over_minor.is_some_and(|f| goods_minor >= f) {
            Some(0)
        } else {
            Some(band.price_minor)
        }
    }
}

/// The rules that apply to `country`: per method, the country's own rule, else the rest-of-world one.
pub fn rules_for(rules: &[ShippingRule], country: Country) -> Vec<&ShippingRule> {
    let mut out: Vec<&ShippingRule> = Vec::new();
    for method in [
        ShippingMethod::Economy,
        ShippingMethod::Standard,
        ShippingMethod::Express,
    ] {
        let own = rules
            .iter()
            .find(|r| r.method == method && r.destination == Some(country));
        if let Some(r) = own.or_else(|| {
            rules
                .iter()
                .find(|r| r.method == method && r.destination.is_none())
        }) {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(dest: Option<&str>, method: ShippingMethod, price: i64) -> ShippingRule {
        ShippingRule {
            destination: dest.map(|d| Country::parse(d).expect("country")),
            method,
            bands: vec![
                WeightBand {
                    up_to_grams: 500,
                    price_minor: price,
                },
                WeightBand {
                    up_to_grams: 2000,
                    price_minor: price * 2,
                },
            ],
            free_over_minor: Some(5000),
            min_days: 3,
            max_days: 7,
        }
    }

    #[test]
    fn quotes_by_band_and_threshold() {
        let r = rule(None, ShippingMethod::Standard, 400);
        r.validate().expect("valid");
        assert_eq!(r.quote(100, 1000), Some(400));
        assert_eq!(r.quote(501, 1000), Some(800));
        assert_eq!(r.quote(2001, 1000), None);
        assert_eq!(r.quote(100, 5000), Some(0));
    }

    #[test]
    fn country_rules_beat_rest_of_world() {
        let rules = vec![
            rule(None, ShippingMethod::Standard, 900),
            rule(Some("FR"), ShippingMethod::Standard, 300),
            rule(Some("FR"), ShippingMethod::Express, 1500),
        ];
        let fr = rules_for(&rules, Country::parse("FR").expect("FR"));
        assert_eq!(
            fr.iter()
                .map(|r| r.bands[0].price_minor)
                .collect::<Vec<_>>(),
            vec![300, 1500]
        );
        let pl = rules_for(&rules, Country::parse("PL").expect("PL"));
        assert_eq!(pl.len(), 1);
        assert_eq!(pl[0].bands[0].price_minor, 900);
    }

    #[test]
    fn bad_rules_are_rejected() {
        let mut r = rule(None, ShippingMethod::Economy, 100);
        r.bands.reverse();
        assert!(r.validate().is_err());
        let mut r = rule(None, ShippingMethod::Economy, 100);
        r.min_days = 9;
        assert!(r.validate().is_err());
        assert!(ShippingMethod::parse("teleport").is_err());
    }
}
