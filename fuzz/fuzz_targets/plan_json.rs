//! Every plan and configuration type from arbitrary JSON.
//!
//! The first byte chooses the type; the rest is handed to
//! `serde_json::from_slice`. Deserialization runs the types' validation,
//! so it may refuse, but must not panic; what it accepts must serialize,
//! deserialize again, and serialize to the same JSON (a stable fixed
//! point: nothing is lost or changed by a round trip).
#![no_main]

use libfuzzer_sys::fuzz_target;
use salesplan::{activity, bonus, calendar, comp, credit, money, org, perf, quota, territory};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn round_trip<T: Serialize + DeserializeOwned>(json: &[u8], name: &str) {
    let Ok(value) = serde_json::from_slice::<T>(json) else {
        return;
    };
    let first = serde_json::to_string(&value)
        .unwrap_or_else(|e| panic!("{name}: accepted value does not serialize: {e}"));
    let again: T = serde_json::from_str(&first)
        .unwrap_or_else(|e| panic!("{name}: own output refused: {e}\n{first}"));
    let second = serde_json::to_string(&again).expect("serializes");
    assert_eq!(first, second, "{name}: round trip changed the value");
}

/// Also equal as values, for the types that compare.
fn round_trip_eq<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    json: &[u8],
    name: &str,
) {
    round_trip::<T>(json, name);
    if let Ok(value) = serde_json::from_slice::<T>(json) {
        let text = serde_json::to_string(&value).expect("serializes");
        let again: T = serde_json::from_str(&text).expect("round trip checked above");
        assert_eq!(again, value, "{name}: {text}");
    }
}

macro_rules! types {
    ($data:expr; $($kind:ident $ty:ty),* $(,)?) => {{
        const NAMES: &[&str] = &[$(stringify!($ty)),*];
        const CHECKS: &[fn(&[u8], &str)] = &[$(types!(@f $kind $ty)),*];
        let Some((first, json)) = $data.split_first() else { return };
        let i = usize::from(*first) % CHECKS.len();
        CHECKS[i](json, NAMES[i]);
    }};
    (@f eq $ty:ty) => { round_trip_eq::<$ty> };
    (@f json $ty:ty) => { round_trip::<$ty> };
}

fuzz_target!(|data: &[u8]| {
    types!(data;
        // 0..: plans with the most validation first.
        eq comp::CompPlan,
        eq comp::PlanAssignments,
        eq comp::Quotas,
        eq credit::CreditPlan,
        eq credit::Transaction,
        eq quota::QuotaPlan,
        eq quota::Seasonality,
        eq quota::Measures,
        eq quota::PersonQuotaOptions,
        eq quota::Ramp,
        eq quota::Adjustment,
        json org::Org,
        eq org::OrgBuilder,
        json territory::TerritoryMap,
        eq territory::RuleBook,
        eq territory::CoverageTable,
        eq territory::AccountBook,
        eq territory::Alignment,
        eq territory::Realignment,
        eq activity::ActivityTarget,
        eq activity::TargetPlan,
        eq activity::ScoreWeights,
        eq activity::CustomKind,
        eq activity::ActivityEntry,
        eq activity::TimeEntry,
        eq perf::PaceCurve,
        eq perf::StatusBands,
        eq perf::EscalationRule,
        eq perf::EscalationPolicy,
        eq perf::TenureBands,
        eq bonus::PayoutCurve,
        eq bonus::TargetBonus,
        eq bonus::TeamBonus,
        eq bonus::Scorecard,
        eq bonus::Contest,
        eq bonus::BonusLedger,
        eq bonus::AuthorityPolicy,
        eq money::RateTable,
        eq calendar::Period,
        eq calendar::DateRange,
        eq calendar::WorkCalendar,
        eq calendar::Proration,
        eq calendar::FiscalCalendar,
    );
});
