//! A buyer's address book: delivery addresses saved for the next checkout.

use crate::accounts::Actor;
use crate::checkout::{check_address, Address};
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::id::{AddressId, TypedId};
use caravan_domain::rfc3339;
use caravan_store::addresses::AddressRecord;
use serde::Serialize;

/// How many addresses one account may keep.
pub const MAX_ADDRESSES: i64 = 20;

/// A saved address.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SavedAddress {
    /// `adr_…`.
    pub id: String,
    /// The address.
    pub address: Address,
    /// RFC 3339.
    pub created_at: String,
}

fn trimmed(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn view(r: AddressRecord) -> SavedAddress {
    SavedAddress {
        id: r.id,
        address: Address {
            name: r.name,
            line1: r.line1,
            line2: r.line2,
            city: r.city,
            postal_code: r.postal_code,
            country: r.country,
            phone: r.phone,
        },
        created_at: rfc3339(r.created_at),
    }
}

impl Market {
    /// The actor's saved addresses, newest first.
    pub async fn addresses(&self, actor: &Actor) -> Result<Vec<SavedAddress>, MarketError> {
        let rows = self.store.addresses_of(actor.user_id.as_str()).await?;
        Ok(rows.into_iter().map(view).collect())
    }

    /// Saves an address for the actor (checked like a checkout's; at most [`MAX_ADDRESSES`]). An
    /// address equal to one already saved is not saved twice: the existing one is returned.
    pub async fn add_address(
        &self,
        actor: &Actor,
        a: Address,
    ) -> Result<(SavedAddress, bool), MarketError> {
        let country = check_address(&a)?;
        let record = AddressRecord {
            id: AddressId::generate().to_string(),
            user_id: actor.user_id.to_string(),
            name: a.name.trim().to_owned(),
            line1: a.line1.trim().to_owned(),
            line2: trimmed(a.line2),
            city: a.city.trim().to_owned(),
            postal_code: a.postal_code.trim().to_owned(),
            country: country.code().to_owned(),
            phone: trimmed(a.phone),
            created_at: self.now(),
        };
        let same = |o: &AddressRecord| {
            (
                &o.name,
                &o.line1,
                &o.line2,
                &o.city,
                &o.postal_code,
                &o.country,
                &o.phone,
            ) == (
                &record.name,
                &record.line1,
                &record.line2,
                &record.city,
                &record.postal_code,
                &record.country,
                &record.phone,
            )
        };
        let existing = self.store.addresses_of(&record.user_id).await?;
        if let Some(o) = existing.into_iter().find(same) {
            return Ok((view(o), false));
        }
        if !self.store.insert_address(&record, MAX_ADDRESSES).await? {
            return Err(MarketError::new(
                Code::TooManyAddresses,
                format!("an account keeps at most {MAX_ADDRESSES} addresses; remove one first"),
            ));
        }
        Ok((view(record), true))
    }

    /// Removes one of the actor's addresses; someone else's (or an unknown id) is not found.
    pub async fn remove_address(&self, actor: &Actor, id: &str) -> Result<(), MarketError> {
        let id = AddressId::parse(id).map_err(|_| MarketError::not_found("address"))?;
        if self
            .store
            .delete_address(actor.user_id.as_str(), id.as_str())
            .await?
        {
            Ok(())
        } else {
            Err(MarketError::not_found("address"))
        }
    }
}
