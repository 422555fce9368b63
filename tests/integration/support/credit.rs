//! Crediting fixtures.

use chrono::NaiveDate;
use salesplan::calendar::DateRange;
use salesplan::credit::{Owner, Transaction, TransactionKind};
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::territory::{CoverageKind, CoverageShare, CoverageSource};
use salesplan::{AccountId, Currency, Money, TerritoryError, TransactionId};

use super::{always, person, pos, range};
use crate::common::date;

pub(crate) fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

pub(crate) fn tid(s: &str) -> TransactionId {
    TransactionId::new(s).unwrap()
}

pub(crate) fn account(s: &str) -> AccountId {
    AccountId::new(s).unwrap()
}

/// A sale of `amount` USD booked on `day`, owned by `owners` (position,
/// percent text).
pub(crate) fn sale(id: &str, day: NaiveDate, amount: &str, owners: &[(&str, &str)]) -> Transaction {
    Transaction::new(
        tid(id),
        TransactionKind::Order,
        day,
        account("ACME"),
        usd(amount),
    )
    .with_owners(
        owners
            .iter()
            .map(|(p, s)| Owner::new(pos(p), s.parse().unwrap()))
            .collect(),
    )
}

/// A return of `amount` (negative text) against `original`.
pub(crate) fn refund(id: &str, day: NaiveDate, amount: &str, original: &str) -> Transaction {
    Transaction::new(
        tid(id),
        TransactionKind::CreditNote,
        day,
        account("ACME"),
        usd(amount),
    )
    .with_original(tid(original))
}

/// A region: `rsm` (maria) over `lead-a` (ali) and `lead-b` (bea until
/// 15 February, then carl); reps `r1`, `r2` under lead-a, `r4` under
/// lead-b, and `r3` (noah) under lead-a until 15 February, then lead-b.
/// `r5` is vacant. Specialist `spec` (sia) reports to the rsm.
pub(crate) fn region() -> Org {
    let before = range(date(2025, 1, 1), date(2025, 2, 15));
    let after = DateRange::starting(date(2025, 2, 15));
    Org::builder()
        .position(Position::new(pos("rsm"), Role::RegionalManager))
        .position(Position::new(pos("lead-a"), Role::TeamLead))
        .position(Position::new(pos("lead-b"), Role::TeamLead))
        .position(Position::new(pos("spec"), Role::SalesRep))
        .positions(["r1", "r2", "r3", "r4", "r5"].map(|r| Position::new(pos(r), Role::SalesRep)))
        .line(ReportingLine::top(pos("rsm"), always()))
        .line(ReportingLine::new(pos("lead-a"), pos("rsm"), always()))
        .line(ReportingLine::new(pos("lead-b"), pos("rsm"), always()))
        .line(ReportingLine::new(pos("spec"), pos("rsm"), always()))
        .line(ReportingLine::new(pos("r1"), pos("lead-a"), always()))
        .line(ReportingLine::new(pos("r2"), pos("lead-a"), always()))
        .line(ReportingLine::new(pos("r3"), pos("lead-a"), before))
        .line(ReportingLine::new(pos("r3"), pos("lead-b"), after))
        .line(ReportingLine::new(pos("r4"), pos("lead-b"), always()))
        .line(ReportingLine::new(pos("r5"), pos("lead-b"), always()))
        .assignment(Assignment::new(person("maria"), pos("rsm"), always()))
        .assignment(Assignment::new(person("ali"), pos("lead-a"), always()))
        .assignment(Assignment::new(person("bea"), pos("lead-b"), before))
        .assignment(Assignment::new(person("carl"), pos("lead-b"), after))
        .assignment(Assignment::new(person("ana"), pos("r1"), always()))
        .assignment(Assignment::new(person("ben"), pos("r2"), always()))
        .assignment(Assignment::new(person("noah"), pos("r3"), always()))
        .assignment(Assignment::new(person("ida"), pos("r4"), always()))
        .assignment(Assignment::new(person("sia"), pos("spec"), always()))
        .build()
        .unwrap()
}

/// Coverage as a plain table: account -> shares, whatever the date; an
/// account not in it is covered by nobody.
#[derive(Debug, Default)]
pub(crate) struct Table(pub(crate) Vec<(AccountId, Vec<CoverageShare>)>);

impl Table {
    pub(crate) fn with(mut self, account_id: &str, shares: &[(&str, CoverageKind, &str)]) -> Self {
        self.0.push((
            account(account_id),
            shares
                .iter()
                .map(|(p, k, s)| CoverageShare::new(pos(p), *k, s.parse().unwrap()))
                .collect(),
        ));
        self
    }
}

impl CoverageSource for Table {
    fn coverage(
        &self,
        account: &AccountId,
        _date: NaiveDate,
    ) -> Result<Vec<CoverageShare>, TerritoryError> {
        self.0
            .iter()
            .find(|(a, _)| a == account)
            .map_or_else(|| Ok(Vec::new()), |(_, s)| Ok(s.clone()))
    }
}
