//! The data contract (issue #27) from arbitrary JSON, for every type that
//! deserializes.
//!
//! The first byte chooses the type (the first 43 are `plan_json`'s, in
//! its order, so its seeds serve here too; then every other public type
//! that derives `Deserialize`: credit runs and lines, statements, org
//! rows, territory, activity, perf and bonus types, reports); the rest is
//! handed to `serde_json::from_slice`. Deserialization runs the types'
//! validation, so it may refuse, but must not panic. What it accepts:
//! - serializes, reads back equal (`==`, or the same JSON for the types
//!   without `PartialEq`), and serializes to the same JSON again;
//! - never drops an unknown field: an unknown key put into any object of
//!   its JSON in turn (nested, in arrays, in enum variants) is refused
//!   (by `deny_unknown_fields`, naming it) or kept (the object is a map
//!   of the user's own data, which takes it as an entry), never read back
//!   without it. The key's value is a copy of one of the object's own
//!   values, so that in a map it is a valid entry; in an object whose
//!   keys are all numbers (a map keyed by number) the key is a number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use salesplan::{
    AccountId, Currency, Money, Percent, PersonId, PlanId, PositionId, ProductGroupId, ProductId,
    Rate, RoleId, RoundingPolicy, TerritoryId, TransactionId, UnitId, activity, allocation, bonus,
    calendar, comp, credit, money, org, perf, quota, territory,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The key put into every object.
const UNKNOWN: &str = "zz_unknown";

/// The key put into a map whose keys are all numbers.
const UNKNOWN_NUMBER: &str = "987654321";

/// The JSON pointers of every object in `value`, itself included.
fn objects(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            out.push(at.to_owned());
            for (k, v) in map {
                let k = k.replace('~', "~0").replace('/', "~1");
                objects(v, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                objects(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Whether some object in `value` holds `key`.
fn holds(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(map) => map.contains_key(key) || map.values().any(|v| holds(v, key)),
        Value::Array(items) => items.iter().any(|v| holds(v, key)),
        _ => false,
    }
}

fn contract<T: Serialize + DeserializeOwned>(json: &[u8], same: fn(&T, &T) -> bool) {
    let name = std::any::type_name::<T>();
    let Ok(value) = serde_json::from_slice::<T>(json) else {
        return;
    };
    let first = serde_json::to_string(&value)
        .unwrap_or_else(|e| panic!("{name}: accepted value does not serialize: {e}"));
    let again: T = serde_json::from_str(&first)
        .unwrap_or_else(|e| panic!("{name}: own output refused: {e}\n{first}"));
    assert!(
        same(&again, &value),
        "{name}: reads back different: {first}"
    );
    let second = serde_json::to_string(&again).expect("serializes");
    assert_eq!(
        first, second,
        "{name}: a second round trip changed the JSON"
    );

    let tree: Value = serde_json::from_str(&first).expect("serde_json reads its own output");
    let mut pointers = Vec::new();
    objects(&tree, "", &mut pointers);
    for at in &pointers {
        let mut probe = tree.clone();
        let Some(Value::Object(node)) = probe.pointer_mut(at) else {
            unreachable!("{at} is an object");
        };
        let numbered = !node.is_empty() && node.keys().all(|k| k.parse::<u64>().is_ok());
        let key = if numbered { UNKNOWN_NUMBER } else { UNKNOWN };
        let filler = node
            .values()
            .next()
            .cloned()
            .unwrap_or(Value::String("1".into()));
        node.insert(key.to_owned(), filler);
        let text = serde_json::to_string(&probe).expect("serializes");
        // Refused is the contract (whether or not the error names the key:
        // an enum's `{"variant": ..}` wrapper says `expected value`, and a
        // map may refuse a copied entry for its own reasons).
        if let Ok(back) = serde_json::from_str::<T>(&text) {
            let back = serde_json::to_value(&back).expect("serializes");
            assert!(
                holds(&back, key),
                "{name}: an unknown field at {at:?} is silently dropped: {text}"
            );
        }
    }
}

fn same_json<T: Serialize>(a: &T, b: &T) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

fn eq<T: Serialize + DeserializeOwned + PartialEq>(json: &[u8]) {
    contract::<T>(json, |a, b| a == b);
}

fn json<T: Serialize + DeserializeOwned>(json: &[u8]) {
    contract::<T>(json, same_json::<T>);
}

macro_rules! types {
    ($data:expr; $($kind:ident $ty:ty),* $(,)?) => {{
        const CHECKS: &[fn(&[u8])] = &[$($kind::<$ty>),*];
        let Some((first, json)) = $data.split_first() else { return };
        let i = usize::from(*first) % CHECKS.len();
        CHECKS[i](json);
    }};
}

fuzz_target!(|data: &[u8]| {
    types!(data;
        // 0..=42: `plan_json`'s types, in its order.
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
        // 43..: credit runs and lines, locked statements and their parts.
        eq credit::CreditRun,
        eq credit::CreditLine,
        eq comp::Statement,
        eq comp::StatementLine,
        eq comp::Explanation,
        eq comp::Calculation,
        eq comp::Clawback,
        eq comp::Correction,
        eq comp::Slice,
        eq comp::GateCheck,
        eq comp::Limit,
        eq comp::DrawLine,
        eq comp::ComponentName,
        // Plans' parts.
        eq comp::CompPlanBuilder,
        eq comp::Component,
        eq comp::RateTable,
        eq comp::Tier,
        eq comp::PayRate,
        eq comp::Multiplier,
        eq comp::Gate,
        eq comp::Cap,
        eq comp::Qualifier,
        eq comp::Kicker,
        eq comp::Draw,
        eq comp::CompPeriod,
        eq comp::Accumulation,
        eq comp::TierBasis,
        eq comp::TierMethod,
        eq comp::GatePeriod,
        eq comp::GateHolds,
        eq comp::PlanAssignment,
        eq comp::CurvePoint,
        eq comp::StatementDiff,
        eq credit::CreditRule,
        eq credit::CreditKind,
        eq credit::CreditBasis,
        eq credit::CreditTiming,
        eq credit::DirectSource,
        eq credit::OverlayRule,
        eq credit::OverlayScope,
        eq credit::RollUpLines,
        eq credit::TransactionKind,
        eq credit::Owner,
        // Org rows, money, calendars, ids.
        eq org::Position,
        eq org::ReportingLine,
        eq org::Assignment,
        eq org::CustomRole,
        eq org::Role,
        eq org::Segment,
        eq money::FxQuote,
        eq money::Attainment,
        eq Money,
        eq Currency,
        eq Rate,
        eq Percent,
        eq RoundingPolicy,
        eq calendar::RetailYearEnd,
        eq calendar::YearNaming,
        eq calendar::RetailPattern,
        eq calendar::YearEndRule,
        eq calendar::ProrationBasis,
        eq AccountId,
        eq PersonId,
        eq PlanId,
        eq PositionId,
        eq ProductGroupId,
        eq ProductId,
        eq RoleId,
        eq TerritoryId,
        eq TransactionId,
        eq UnitId,
        // Quota.
        eq quota::Basis,
        eq quota::LevelRule,
        eq quota::Grain,
        eq quota::GapRow,
        eq quota::TargetExplanation,
        // Territory.
        eq territory::RuleBookBuilder,
        eq territory::Rule,
        eq territory::Predicate,
        eq territory::NamedAccount,
        eq territory::Attribute,
        eq territory::AttributeType,
        eq territory::Value,
        eq territory::Account,
        eq territory::TerritoryMapBuilder,
        eq territory::Territory,
        eq territory::TerritoryLine,
        eq territory::Coverage,
        eq territory::CoverageShare,
        eq territory::CoverageKind,
        eq territory::TerritoryCoverage,
        eq territory::Assignment,
        eq territory::Placement,
        eq territory::Outcome,
        eq territory::AssignedBy,
        eq territory::OutcomeCounts,
        eq territory::RebalanceOptions,
        eq territory::BalanceBasis,
        eq territory::Rebalance,
        eq territory::Move,
        eq territory::Shift<TerritoryId>,
        eq territory::Shift<PositionId>,
        eq territory::BalanceReport,
        eq territory::TerritoryLoad,
        eq territory::Spread,
        eq territory::Deviation,
        // Activity.
        eq activity::ActivityKind,
        eq activity::Unit,
        eq activity::Cadence,
        eq activity::Ratio,
        eq activity::ReviewOptions,
        eq activity::TaskCategory,
        eq activity::ProratedTarget,
        eq activity::WeeklyTally,
        eq activity::WeekStatus,
        eq activity::KindLine,
        eq activity::PersonWeek,
        eq activity::FunnelCounts,
        eq activity::FunnelRatios,
        eq activity::TimeShare,
        eq activity::TimeShares,
        // Perf.
        eq perf::Action,
        eq perf::PeriodKind,
        eq perf::PeriodResult,
        eq perf::Figure,
        eq perf::ActionDue,
        eq perf::Pacing,
        eq perf::Status,
        eq perf::Ranked<PersonId>,
        eq perf::Ranked<PositionId>,
        eq perf::MemberRow,
        eq perf::TeamReport,
        // Bonus.
        eq bonus::CurvePoint,
        eq bonus::Segment,
        eq bonus::CurveReading,
        eq bonus::Gate,
        eq bonus::GateCheck,
        eq bonus::BonusInputs,
        eq bonus::BonusPayout,
        eq bonus::TeamSplit,
        eq bonus::TeamMember,
        eq bonus::TeamInputs,
        eq bonus::MemberShare,
        eq bonus::TeamPayout,
        eq bonus::Objective,
        eq bonus::ObjectiveScore,
        eq bonus::MboResult,
        eq bonus::ContestMeasure,
        eq bonus::Award,
        eq bonus::Eligibility,
        eq bonus::ContestEvent,
        eq bonus::Standing,
        eq bonus::ContestResult,
        eq bonus::BonusState,
        eq bonus::DiscretionaryBonus,
        eq bonus::Budget,
        eq bonus::Action,
        eq bonus::Power,
        eq bonus::Scope,
        eq bonus::Grant,
        eq bonus::Qualification,
        eq bonus::ActionPlan,
        eq bonus::Approver,
        eq bonus::PlanMiss,
        eq bonus::Reason,
        eq bonus::Outcome,
        eq bonus::Decision,
        eq bonus::Request,
        eq allocation::Share,
        eq allocation::Bound,
    );
});
