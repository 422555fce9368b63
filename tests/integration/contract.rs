//! The data contract (issue #27, defect 2): every type that deserializes
//! refuses a field it does not know, at any depth, naming it; and reads
//! back what it writes.
//!
//! [`rows`] lists every public type of the crate that derives
//! `Deserialize` (configuration, plans, rules, policies, calendars,
//! transactions, credit runs, quotas, logs, org rows, locked statements,
//! and the reports a program may store and read back), each with one or
//! more valid instances: built with the public API where the tests have
//! fixtures, otherwise read from JSON written out here. [`check`] takes
//! each instance's JSON, puts an unknown key into every object in it in
//! turn (inside arrays and enum variants too), and reads it back: it must
//! be refused with an error naming the key, or, where the object is a map
//! of the user's own data (a transaction's named measures, an account's
//! attributes), kept. Read back without the key is the bug the issue
//! reports ("minimun" paid as if absent). A second test reads `src/` and
//! checks that the list misses no type. The `json_contract` fuzz target
//! runs the same check on whatever arbitrary JSON deserializes.
//!
//! The sign-rule bugs found while writing the `statement` fuzz target's
//! oracle are in `regressions.rs`.

use std::collections::BTreeSet;
use std::fmt::Debug;

use chrono::{Month, Weekday};
use rust_decimal::Decimal;
use salesplan::calendar::{
    DateRange, FiscalCalendar, Period, Proration, ProrationBasis, RetailPattern, RetailYearEnd,
    WorkCalendar, YearEndRule, YearNaming,
};
use salesplan::comp::{
    Accumulation, Cap, Commissions, CompPeriod, CompPlan, Component, ComponentName, Deals, Draw,
    Explanation, Gate, GateHolds, GatePeriod, Kicker, Limit, Multiplier, PayRate, Qualifier,
    Quotas, RateTable, Statement, Tier, TierBasis, TierMethod,
};
use salesplan::credit::{
    CreditBasis, CreditKind, CreditLine, CreditPlan, CreditRule, CreditRun, CreditTiming,
    Crediting, DirectSource, OverlayRule, OverlayScope, Owner, RollUpLines, Transaction,
    TransactionKind,
};
use salesplan::money::{Attainment, FxQuote};
use salesplan::org::{Assignment, CustomRole, Org, Position, ReportingLine, Role};
use salesplan::quota::{
    Adjustment, Basis, Grain, LevelRule, Measures, PersonQuotaOptions, QuotaPlan, Ramp, Seasonality,
};
use salesplan::{
    AccountId, Currency, Money, Percent, PersonId, PlanId, PositionId, ProductGroupId, ProductId,
    Rate, RoleId, RoundingPolicy, TerritoryId, TransactionId, UnitId,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::common::dec;
use crate::support::comp::{d, month, pct, quarter, rate, tiers};
use crate::support::credit::{account, refund, region, sale, tid, usd};
use crate::support::{always, person, pos};

/// The key put into every object.
const UNKNOWN: &str = "zz_unknown";

/// The key put into a map whose keys are numbers (a quota plan's levels):
/// no struct has such a field, and the map takes it as an entry.
const UNKNOWN_NUMBER: &str = "987654321";

/// What became of an unknown key put into one object of a value's JSON.
#[derive(Debug, PartialEq)]
enum Fate {
    /// Refused, the error naming the key.
    Named,
    /// Refused by an enum's `{"variant": ...}` wrapper (an object of one
    /// key): serde_json reads the variant, then wants the object to end,
    /// and says `expected value` at the key's line and column.
    NotAVariant,
    /// Kept: the object is a map of the user's own data.
    Kept,
    /// Refused, but the error does not name the key.
    Unnamed(String),
    /// Read back without it: silently dropped.
    Dropped,
}

/// The JSON pointers (RFC 6901) of every object in `value`, itself
/// included, depth first.
fn objects(value: &Value, at: &str, out: &mut Vec<String>) {
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Object(map) => {
            out.push(at.to_owned());
            for (k, v) in map {
                objects(v, &format!("{at}/{}", escape(k)), out);
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

/// How many objects in `value` hold `key`.
fn holding(value: &Value, key: &str) -> usize {
    match value {
        Value::Object(map) => {
            usize::from(map.contains_key(key))
                + map.values().map(|v| holding(v, key)).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(|v| holding(v, key)).sum(),
        _ => 0,
    }
}

/// The one check every row goes through: `value` reads back as itself
/// (`same`), and an unknown key put into any object of its JSON is
/// refused naming it, or kept (a map of user data), never dropped. The
/// key's value is a copy of one of the object's own values (so that in a
/// map it is a valid entry), or `"1"` in an empty object; in an object
/// whose keys are all numbers (a map keyed by number), the key is a
/// number. Returns what was found.
fn check<T: Serialize + DeserializeOwned + Debug>(value: &T, same: fn(&T, &T) -> bool) -> Found {
    let ty = std::any::type_name::<T>();
    let short = ty
        .split('<')
        .next()
        .unwrap_or(ty)
        .rsplit("::")
        .next()
        .unwrap_or(ty);
    let mut problems = Vec::new();
    let mut kept = Vec::new();
    let text = serde_json::to_string(value).unwrap();
    match serde_json::from_str::<T>(&text) {
        Ok(back) if same(&back, value) => {}
        Ok(back) => problems.push(format!("{ty}: reads back as {back:?} from {text}")),
        Err(e) => problems.push(format!("{ty}: its own JSON is refused: {e}: {text}")),
    }
    let tree = serde_json::to_value(value).unwrap();
    let mut pointers = Vec::new();
    objects(&tree, "", &mut pointers);
    for at in &pointers {
        let mut probe = tree.clone();
        let Some(Value::Object(node)) = probe.pointer_mut(at) else {
            unreachable!("{at} is an object of {tree}");
        };
        let keys = node.len();
        let numbered = keys > 0 && node.keys().all(|k| k.parse::<u64>().is_ok());
        let key = if numbered { UNKNOWN_NUMBER } else { UNKNOWN };
        let filler = node.values().next().cloned().unwrap_or(json!("1"));
        node.insert(key.to_owned(), filler);
        let probe = serde_json::to_string(&probe).unwrap();
        let fate = match serde_json::from_str::<T>(&probe) {
            Err(e) if e.to_string().contains(key) => Fate::Named,
            Err(e) if keys == 1 && e.to_string().starts_with("expected value") => Fate::NotAVariant,
            Err(e) => Fate::Unnamed(e.to_string()),
            Ok(back) if holding(&serde_json::to_value(&back).unwrap(), key) > 0 => Fate::Kept,
            Ok(_) => Fate::Dropped,
        };
        match fate {
            Fate::Named | Fate::NotAVariant => {}
            Fate::Kept => kept.push(format!("{short} {at}")),
            Fate::Unnamed(e) => problems.push(format!(
                "{ty} at {at:?}: refused without naming the field: {e}"
            )),
            Fate::Dropped => problems.push(format!(
                "{ty} at {at:?}: an unknown field is silently dropped: {probe}"
            )),
        }
    }
    Found {
        objects: pointers.len(),
        problems,
        kept,
    }
}

/// What [`check`] found for one value, or for a row's values.
#[derive(Debug, Default)]
struct Found {
    /// The objects an unknown key was put into.
    objects: usize,
    /// Each problem, as `type at "/json/pointer": what`.
    problems: Vec<String>,
    /// The objects that kept the key as an entry (maps of user data), as
    /// `Type /json/pointer`.
    kept: Vec<String>,
}

fn same_json<T: Serialize>(a: &T, b: &T) -> bool {
    serde_json::to_value(a).unwrap() == serde_json::to_value(b).unwrap()
}

/// One listed type: its name, and what [`check`] found over its instances.
struct Row {
    ty: &'static str,
    found: Found,
}

fn row<T: Serialize + DeserializeOwned + Debug>(values: &[T], same: fn(&T, &T) -> bool) -> Row {
    assert!(
        !values.is_empty(),
        "{}: no instance",
        std::any::type_name::<T>()
    );
    let mut found = Found::default();
    for v in values {
        let f = check(v, same);
        found.objects += f.objects;
        found.problems.extend(f.problems);
        found.kept.extend(f.kept);
    }
    Row {
        ty: std::any::type_name::<T>(),
        found,
    }
}

/// A value read from JSON written here (the types with no builder, and
/// the reports the crate computes).
fn from<T: DeserializeOwned>(json: Value) -> T {
    serde_json::from_value(json.clone()).unwrap_or_else(|e| {
        panic!(
            "{}: the test's instance does not read: {e}: {json}",
            std::any::type_name::<T>()
        )
    })
}

/// Rows of types that compare with `==`: `eq![T: a, b, ...]`.
macro_rules! eq {
    ($ty:ty: $($v:expr),+ $(,)?) => {
        row::<$ty>(&[$($v),+], |a, b| a == b)
    };
}

/// Rows of types without `PartialEq`, compared by their JSON.
macro_rules! same_json {
    ($ty:ty: $($v:expr),+ $(,)?) => {
        row::<$ty>(&[$($v),+], same_json)
    };
}

fn work() -> WorkCalendar {
    WorkCalendar::new([
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ])
    .unwrap()
    .with_holidays([d(1, 1), d(12, 25)])
}

fn april() -> FiscalCalendar {
    FiscalCalendar::starting(Month::April, YearNaming::ByStartYear)
}

fn org_builder() -> salesplan::org::OrgBuilder {
    let vp = RoleId::new("vp").unwrap();
    Org::builder()
        .role(CustomRole::new(vp.clone(), "Vice President", 65))
        .position(Position::new(pos("top"), Role::Custom(vp)).with_title("VP Sales"))
        .position(Position::new(pos("lead"), Role::TeamLead))
        .position(Position::new(pos("rep"), Role::SalesRep))
        .line(ReportingLine::top(pos("top"), always()))
        .line(ReportingLine::new(pos("lead"), pos("top"), always()))
        .line(ReportingLine::new(
            pos("rep"),
            pos("lead"),
            DateRange::new(d(1, 1), Some(d(7, 1))).unwrap(),
        ))
        .assignment(Assignment::new(person("ana"), pos("rep"), always()))
}

/// A credit plan with every part: a named measure, invoice timing, an
/// overlay, roll-up lines.
fn credit_plan() -> CreditPlan {
    CreditPlan::new(CreditBasis::Measure("points".into()), Currency::USD)
        .timing(CreditTiming::Invoice)
        .direct(DirectSource::OwnersElseTerritory)
        .roll_up(RollUpLines::Lines)
        .quantity_scale(3)
        .unwrap()
        .overlay(OverlayRule::new(
            pos("spec"),
            "7.5%".parse().unwrap(),
            OverlayScope::ProductGroup(ProductGroupId::new("cloud").unwrap()),
            always(),
        ))
}

/// A sale with every optional part, named measures included.
fn full_sale() -> Transaction {
    Transaction::new(
        tid("SO-1"),
        TransactionKind::Invoice,
        d(1, 2),
        account("ACME"),
        usd("10.00"),
    )
    .with_invoiced(d(1, 3))
    .with_product(ProductId::new("sku-1").unwrap())
    .with_product_group(ProductGroupId::new("cloud").unwrap())
    .with_margin(usd("4.00"))
    .with_units(dec("2.5"))
    .with_measure("points", dec("12.125"))
    .with_measure("years", dec("2"))
    .with_owners(vec![
        Owner::new(pos("r1"), "60%".parse().unwrap()),
        Owner::new(pos("r2"), "40%".parse().unwrap()),
    ])
}

/// A revenue run on the region with owners, roll-ups, an overlay and a
/// return of part of a sale.
fn revenue_run() -> CreditRun {
    let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD).overlay(OverlayRule::new(
        pos("spec"),
        "10%".parse().unwrap(),
        OverlayScope::Everything,
        always(),
    ));
    Crediting::new(&region(), &plan)
        .run(&[
            sale("SO-1", d(1, 10), "1000.00", &[("r1", "100%")]),
            refund("CN-1", d(2, 10), "-100.00", "SO-1"),
        ])
        .unwrap()
}

/// A run of a EUR sale and its partial return under a USD plan: the run
/// keeps each conversion.
fn converted_run() -> CreditRun {
    let rates = salesplan::money::RateTable::new()
        .with(Currency::EUR, Currency::USD, d(1, 1), dec("1.0850"))
        .unwrap();
    let eur = |a: &str| Money::parse(a, Currency::EUR).unwrap();
    let sale = Transaction::new(
        tid("SO-1"),
        TransactionKind::Order,
        d(1, 10),
        account("ACME"),
        eur("1000.00"),
    )
    .with_owner(pos("r1"));
    let back = Transaction::new(
        tid("RT-1"),
        TransactionKind::Return,
        d(2, 10),
        account("ACME"),
        eur("-100.00"),
    )
    .with_original(tid("SO-1"));
    let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    Crediting::new(&region(), &plan)
        .with_rates(&rates)
        .run(&[sale, back])
        .unwrap()
}

/// A component with every part.
fn full_component() -> Component {
    Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        tiers(
            TierBasis::Attainment,
            TierMethod::Marginal,
            &[("0", "1", "8%"), ("1", "", "12%")],
        ),
    )
    .accumulate(Accumulation::PerPeriod)
    .kinds(vec![CreditKind::Direct, CreditKind::RollUp])
    .multiplier(Multiplier::new(rate("0%"), Some(rate("50%")), rate("50%")))
    .multiplier(Multiplier::above(rate("150%"), rate("150%")))
    .gate(Gate::new(
        rate("10%"),
        GatePeriod::Year,
        GateHolds::Accelerators,
    ))
    .cliff(rate("1%"))
    .cap(Cap::PerPeriod(usd("5000")))
    .cap(Cap::PerYear(usd("60000")))
    .cap(Cap::Attainment(rate("300%")))
    .minimum(usd("50"))
    .kicker(Kicker::new(
        "multi-year",
        vec![Qualifier::MeasureAtLeast {
            name: "years".into(),
            value: Decimal::TWO,
        }],
        rate("110%"),
    ))
    .qualifies(vec![Qualifier::Account(account("ACME"))])
    .window(DateRange::new(d(1, 1), Some(d(12, 1))).unwrap())
}

fn comp_builder() -> salesplan::comp::CompPlanBuilder {
    CompPlan::builder(
        PlanId::new("AE-2025").unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        2025,
    )
    .component(full_component())
    .component(Component::spiff(
        "Launch",
        usd("250"),
        DateRange::new(d(2, 1), Some(d(4, 1))).unwrap(),
        vec![
            Qualifier::Product(ProductId::new("sku-1").unwrap()),
            Qualifier::ProductGroup(ProductGroupId::new("cloud").unwrap()),
        ],
        CompPeriod::Month,
    ))
    .draw(Draw::Recoverable {
        amount: usd("2000"),
        during: DateRange::new(d(1, 1), Some(d(4, 1))).unwrap(),
        recover_from: Some(d(4, 1)),
        floor: usd("500"),
    })
    .rounding(RoundingPolicy::HalfEven)
}

/// Ana's statements for January to March on a plan with a gate, caps, a
/// minimum and a draw: January locked before a late deal, so February
/// has an earned line, an adjustment and a clawback (a return in
/// February of a January sale), and a draw line.
fn statements() -> Vec<Statement> {
    let component = Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        tiers(
            TierBasis::Attainment,
            TierMethod::Marginal,
            &[("0", "1", "10%"), ("1", "", "15%")],
        ),
    )
    .gate(Gate::new(
        rate("10%"),
        GatePeriod::Component,
        GateHolds::Accelerators,
    ))
    .cap(Cap::PerPeriod(usd("5000")))
    .cap(Cap::PerYear(usd("60000")))
    .minimum(usd("50"));
    let plan = CompPlan::builder(
        PlanId::new("AE-2025").unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        2025,
    )
    .component(component)
    .draw(Draw::Recoverable {
        amount: usd("2000"),
        during: DateRange::new(d(1, 1), Some(d(4, 1))).unwrap(),
        recover_from: Some(d(3, 1)),
        floor: usd("0"),
    })
    .build()
    .unwrap();
    let quotas = (1..=12).fold(Quotas::new(), |q, m| q.revenue(month(m), usd("10000")));
    let ana = person("ana");
    let year = |txs: &[Transaction], locked: &[Statement]| {
        let run = Crediting::new(
            &region(),
            &CreditPlan::new(CreditBasis::Revenue, Currency::USD),
        )
        .run(txs)
        .unwrap();
        Commissions::new(&plan, &[&run])
            .unwrap()
            .with_deals(&Deals::new(txs))
            .unwrap()
            .statements(&ana, &quotas, locked, d(3, 31))
            .unwrap()
    };
    let mut txs = vec![
        sale("SO-1", d(1, 10), "8000.00", &[("r1", "100%")]),
        sale("SO-2", d(2, 10), "3000.00", &[("r1", "100%")]),
        refund("CN-1", d(2, 20), "-1000.00", "SO-1"),
    ];
    let january = year(&txs, &[]);
    txs.push(sale("SO-3", d(1, 20), "500.00", &[("r1", "100%")]));
    let all = year(&txs, &january[..1]);
    let feb = &all[1];
    let has = |f: fn(&Explanation) -> bool| feb.lines().iter().any(|l| f(&l.explanation));
    assert!(has(|e| matches!(e, Explanation::Earned(_))), "{feb}");
    assert!(has(|e| matches!(e, Explanation::Clawback(_))), "{feb}");
    assert!(has(|e| matches!(e, Explanation::Adjustment(_))), "{feb}");
    assert!(feb.draw.is_some(), "{feb}");
    all
}

/// A plan in a measure other than money, with rules at two levels.
fn measure_plan() -> salesplan::quota::MeasurePlan {
    salesplan::quota::MeasurePlan::new(
        2025,
        april(),
        salesplan::quota::QuotaMeasure::Deals,
        dec("120"),
    )
    .level(
        0,
        LevelRule::new(Basis::Equal).over_assign("110%".parse().unwrap()),
    )
    .level(1, LevelRule::new(Basis::Measure("prior_year".into())))
    .seasonality(Seasonality::quarterly([1, 2, 3, 4].map(Decimal::from)).unwrap())
    .rounding(RoundingPolicy::HalfEven)
}

/// The months a reorg sets, in cents, by position.
fn reorg_targets() -> salesplan::quota::ReorgTargets {
    from(json!({"currency": "USD", "months": {
        "lead": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        "rep": [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100]}}))
}

/// One quota change of each kind.
fn quota_change_kinds() -> Vec<salesplan::quota::QuotaChangeKind> {
    use salesplan::quota::QuotaChangeKind;
    vec![
        QuotaChangeKind::Relief {
            position: pos("rep"),
            amount: usd("10.00"),
        },
        QuotaChangeKind::Transfer {
            from: pos("r1"),
            to: pos("r2"),
            amount: usd("10.00"),
        },
        QuotaChangeKind::NewHire {
            position: pos("r3"),
            amount: usd("25.00"),
        },
        QuotaChangeKind::Reorg(reorg_targets()),
    ]
}

/// Every public type that derives `Deserialize`, with instances.
#[expect(
    clippy::too_many_lines,
    reason = "one list of every type, as the contract reads"
)]
fn rows() -> Vec<Row> {
    use salesplan::{activity, allocation, bonus, perf, territory};

    let period = Period::month(2025, 3).unwrap();
    let q1 = Period::new(d(1, 1), d(4, 1)).unwrap();
    let statements = statements();
    let adjusted = crate::scenarios::comp_close::audit_trails();
    let feb = statements[1].clone();
    let line_of = |f: fn(&Explanation) -> bool| {
        feb.lines()
            .iter()
            .find(|l| f(&l.explanation))
            .unwrap()
            .clone()
    };
    let earned = line_of(|e| matches!(e, Explanation::Earned(_)));
    let clawback = line_of(|e| matches!(e, Explanation::Clawback(_)));
    let adjustment = line_of(|e| matches!(e, Explanation::Adjustment(_)));
    let Explanation::Earned(calculation) = earned.explanation.clone() else {
        unreachable!()
    };
    let Explanation::Clawback(taken) = clawback.explanation.clone() else {
        unreachable!()
    };
    let Explanation::Adjustment(corrections) = adjustment.explanation.clone() else {
        unreachable!()
    };
    let run = revenue_run();
    let plan = comp_builder().build().unwrap();
    let ratio = json!({"value": "0.75"});
    let ratio_zero = json!({"zero_denominator": {"numerator": "3"}});
    let target = json!({"kind": "call", "cadence": "week", "quantity": 20});
    let prorated = json!({"target": target, "span": period, "available_days": 21,
        "scheduled_days": 20, "quantity": 19});
    let curve_point = json!({"attainment": "100%", "payout": "100%"});

    vec![
        // calendar
        eq![YearNaming: YearNaming::ByStartYear, YearNaming::ByEndYear],
        eq![RetailPattern: RetailPattern::P454],
        eq![YearEndRule: YearEndRule::NearestMonthEnd],
        eq![RetailYearEnd: RetailYearEnd {
            weekday: Weekday::Sat,
            month: Month::January,
            rule: YearEndRule::NearestMonthEnd,
        }],
        eq![FiscalCalendar: FiscalCalendar::gregorian(), april(), from(json!({
            "kind": {"retail": {"pattern": "p454", "year_end":
                {"weekday": "Sat", "month": "January", "rule": "nearest_month_end"}}},
            "naming": "by_start_year"}))],
        eq![Period: period],
        eq![DateRange: DateRange::new(d(1, 1), Some(d(3, 1))).unwrap(), always()],
        eq![WorkCalendar: work()],
        eq![ProrationBasis: ProrationBasis::WorkingDays],
        eq![Proration: Proration::new(&q1, &period, ProrationBasis::WorkingDays, &work()).unwrap()],
        // money and ids
        eq![Attainment: Attainment::Ratio(dec("0.75")), Attainment::ZeroTarget { actual: usd("5.00") }],
        eq![Currency: Currency::USD, Currency::custom("XPT", 4).unwrap()],
        eq![Money: usd("1234.50")],
        eq![Percent: "12.5%".parse().unwrap()],
        eq![Rate: rate("150%")],
        eq![RoundingPolicy: RoundingPolicy::HalfEven],
        eq![FxQuote: FxQuote {
            from: Currency::EUR,
            to: Currency::USD,
            effective: d(1, 1),
            rate: dec("1.0350"),
        }],
        eq![salesplan::money::RateTable: salesplan::money::RateTable::new()
            .with(Currency::EUR, Currency::USD, d(1, 1), dec("1.0350"))
            .unwrap()],
        eq![AccountId: account("ACME")],
        eq![PersonId: person("ana")],
        eq![PlanId: PlanId::new("AE-2025").unwrap()],
        eq![PositionId: pos("rep")],
        eq![ProductGroupId: ProductGroupId::new("cloud").unwrap()],
        eq![ProductId: ProductId::new("sku-1").unwrap()],
        eq![RoleId: RoleId::new("vp").unwrap()],
        eq![TerritoryId: TerritoryId::new("west").unwrap()],
        eq![TransactionId: tid("SO-1")],
        eq![UnitId: UnitId::new("emea").unwrap()],
        // org
        eq![salesplan::org::OrgBuilder: org_builder()],
        same_json![Org: org_builder().build().unwrap()],
        eq![Role: Role::SalesRep, Role::Custom(RoleId::new("vp").unwrap())],
        eq![CustomRole: CustomRole::new(RoleId::new("vp").unwrap(), "Vice President", 65)],
        eq![Position: Position::new(pos("top"), Role::Executive).with_title("VP Sales")],
        eq![ReportingLine: ReportingLine::new(pos("rep"), pos("lead"), always()),
            ReportingLine::top(pos("top"), always())],
        eq![Assignment: Assignment::new(person("ana"), pos("rep"), always())],
        eq![salesplan::org::Segment: org_builder()
            .build()
            .unwrap()
            .segments(&person("ana"), &Period::year(2025).unwrap())
            .unwrap()[0]
            .clone()],
        // credit
        eq![CreditKind: CreditKind::Direct, CreditKind::Overlay, CreditKind::RollUp],
        eq![CreditRule:
            CreditRule::Owner { share: "60%".parse().unwrap() },
            CreditRule::TerritoryPrimary { share: "100%".parse().unwrap() },
            CreditRule::TerritoryOverlay { share: "50%".parse().unwrap() },
            CreditRule::Overlay { rule: 0, share: "10%".parse().unwrap() },
            CreditRule::RollUp { from: pos("r1") }],
        eq![CreditLine: run.lines()[0].clone(), CreditLine::new(
                pos("r1"),
                tid("CN-7"),
                CreditRule::Owner { share: "100%".parse().unwrap() },
                dec("-250.00"),
                d(5, 2),
            )
            .with_person(person("ana"))
            .with_sale(tid("SO-7"), d(3, 14))],
        eq![CreditRun: run, converted_run()],
        eq![salesplan::credit::Conversion: converted_run().conversions()[1].clone()],
        eq![salesplan::credit::RateDate: salesplan::credit::RateDate::Invoice,
            salesplan::credit::RateDate::Fixed(d(1, 1))],
        eq![CreditBasis: CreditBasis::Revenue, CreditBasis::Measure("points".into())],
        eq![CreditTiming: CreditTiming::Invoice],
        eq![DirectSource: DirectSource::OwnersElseTerritory],
        eq![OverlayScope: OverlayScope::Everything,
            OverlayScope::Product(ProductId::new("sku-1").unwrap()),
            OverlayScope::Account(account("ACME"))],
        eq![OverlayRule: credit_plan().overlays()[0].clone()],
        eq![RollUpLines: RollUpLines::Totals],
        eq![CreditPlan: credit_plan()],
        eq![TransactionKind: TransactionKind::CreditNote],
        eq![Owner: Owner::new(pos("r1"), "60%".parse().unwrap())],
        eq![Transaction: full_sale(), refund("CN-1", d(2, 1), "-5.00", "SO-1")],
        // comp: plans
        eq![Quotas: Quotas::new()
            .revenue(quarter(1), usd("30000"))
            .quantity(CreditBasis::DealCount, q1, dec("12"))],
        eq![salesplan::comp::CurvePoint: plan
            .payout_curve("Revenue", usd("10000"), &[rate("50%")])
            .unwrap()[0]
            .clone()],
        eq![salesplan::comp::StatementDiff: from(json!({"person": "ana", "period": period,
            "before": "10.00 USD", "after": "12.00 USD", "change": "2.00 USD"}))],
        eq![salesplan::comp::PlanAssignment: from(json!({"person": "ana", "plan": "AE-2025",
            "during": {"start": "2025-01-01", "end": null}}))],
        eq![salesplan::comp::PlanAssignments: from(json!([{"person": "ana", "plan": "AE-2025",
            "during": {"start": "2025-01-01", "end": null}}]))],
        // comp: plan changes and adjustments (issue #30)
        eq![salesplan::comp::PlanSplit: salesplan::comp::PlanSplit::ByDays,
            salesplan::comp::PlanSplit::PeriodEnd],
        eq![salesplan::comp::InForce: from(json!({"person": "ana", "plan": "AE-2025",
            "days": period}))],
        eq![salesplan::comp::AdjustmentKind: adjusted[1].adjustment.kind.clone(),
            adjusted[0].adjustment.kind.clone(), adjusted[2].adjustment.kind.clone()],
        eq![salesplan::comp::Dispute: crate::scenarios::comp_close::a_dispute()],
        eq![salesplan::comp::Adjustment: adjusted[0].adjustment.clone(),
            adjusted[1].adjustment.clone(), adjusted[2].adjustment.clone()],
        eq![salesplan::comp::AuditTrail: adjusted[0].clone(), adjusted[1].clone()],
        eq![salesplan::comp::CarriedCap: from(json!({"cap": "500.00 USD",
            "carried_before": "200.00 USD", "room": "400.00 USD", "released": "200.00 USD",
            "excess": "0.00 USD", "carried_after": "0.00 USD", "forfeited": "0.00 USD"}))],
        eq![salesplan::comp::HoldPolicy: salesplan::comp::HoldPolicy::new("50%".parse().unwrap())
            .component("Revenue")],
        eq![salesplan::comp::Release: from(json!({"transaction": "T1", "date": "2025-04-02"}))],
        eq![salesplan::comp::HeldDeal: from(json!({"transaction": "T1", "credit": "1000",
            "held": "50.00 USD"}))],
        eq![salesplan::comp::HoldLine: from(json!({"held": {"share": "50%", "earned": "100.00 USD",
            "deals": [{"transaction": "T1", "credit": "1000", "held": "50.00 USD"}]}})),
            from(json!({"released": {"transaction": "T1", "paid_on": "2025-04-02",
            "held_in": period}}))],
        eq![CompPeriod: CompPeriod::Quarter],
        eq![Accumulation: Accumulation::YearToDate],
        eq![PayRate: pct("10%"), PayRate::PerUnit(usd("250"))],
        eq![TierBasis: TierBasis::Measure],
        eq![TierMethod: TierMethod::Retroactive],
        eq![Tier: Tier::new(Decimal::ZERO, Some(Decimal::ONE), pct("8%"))],
        eq![RateTable: RateTable::Flat(pct("10%")), full_component().rates().clone()],
        eq![Multiplier: Multiplier::new(rate("0%"), Some(rate("50%")), rate("50%"))],
        eq![GatePeriod: GatePeriod::Year],
        eq![GateHolds: GateHolds::Everything],
        eq![Gate: Gate::new(rate("50%"), GatePeriod::Year, GateHolds::Accelerators)],
        eq![Cap: Cap::PerPeriod(usd("5000")), Cap::PerYear(usd("60000")), Cap::Attainment(rate("300%"))],
        eq![Qualifier:
            Qualifier::Product(ProductId::new("sku-1").unwrap()),
            Qualifier::ProductGroup(ProductGroupId::new("cloud").unwrap()),
            Qualifier::Account(account("ACME")),
            Qualifier::MeasureAtLeast { name: "years".into(), value: Decimal::TWO }],
        eq![Kicker: full_component().kickers()[0].clone()],
        eq![Component: full_component()],
        eq![Draw: *plan.draw().unwrap(), Draw::NonRecoverable {
            amount: usd("1000"),
            during: always(),
        }],
        eq![CompPlan: plan],
        eq![salesplan::comp::CompPlanBuilder: comp_builder()],
        // comp: locked statements
        eq![ComponentName: ComponentName::new("Revenue")],
        eq![salesplan::comp::Slice: calculation.slices()[0].clone()],
        eq![salesplan::comp::GateCheck: (**calculation.gate.as_ref().unwrap()).clone()],
        eq![Limit: calculation.limits()[0].clone(), calculation.limits()[1].clone(),
            calculation.limits()[2].clone()],
        eq![salesplan::comp::Calculation: calculation],
        eq![salesplan::comp::Clawback: (*taken).clone()],
        eq![salesplan::comp::Correction: corrections[0].clone()],
        eq![Explanation: earned.explanation.clone(), clawback.explanation.clone(),
            adjustment.explanation.clone(), Explanation::Approved(Box::new(adjusted[0].clone()))],
        eq![salesplan::comp::StatementLine: earned.clone(), clawback.clone(), adjustment.clone()],
        eq![salesplan::comp::DrawLine: (**feb.draw.as_ref().unwrap()).clone()],
        eq![Statement: statements[0].clone(), feb.clone()],
        // quota
        eq![PersonQuotaOptions: PersonQuotaOptions::new()
            .basis(ProrationBasis::WorkingDays)
            .ramp(Ramp::new(["0%".parse().unwrap(), "50%".parse().unwrap()]), d(3, 17))],
        eq![Basis: Basis::Equal, Basis::Measure("a".into()),
            Basis::Blend(vec![("50%".parse().unwrap(), "a".into()), ("50%".parse().unwrap(), "b".into())])],
        eq![LevelRule: LevelRule::new(Basis::Measure("a".into())).over_assign("110%".parse().unwrap())],
        eq![Measures: Measures::new()
            .with("prior_year", vec![dec("1200.50"), dec("0")])
            .with("pipeline", vec![dec("10"), dec("20")])
            .with_floors(vec![None, Some(usd("10.00"))])
            .with_caps(vec![Some(usd("5000.00")), None])],
        eq![QuotaPlan: QuotaPlan::new(2025, april(), Money::parse("1000.00", Currency::EUR).unwrap())
            .seasonality(Seasonality::quarterly([1, 2, 3, 4].map(Decimal::from)).unwrap())
            .level(0, LevelRule::new(Basis::Blend(vec![
                ("50%".parse().unwrap(), "a".into()),
                ("50%".parse().unwrap(), "b".into()),
            ])))
            .level(1, LevelRule::new(Basis::Equal))
            .default_rule(LevelRule::new(Basis::Measure("a".into())))],
        eq![Adjustment:
        Adjustment::Relief {
            position: pos("rep"),
            period,
            amount: usd("10.00"),
            reason: "lost account".into(),
        },
        Adjustment::Transfer {
            from: pos("r1"),
            to: pos("r2"),
            period,
            amount: usd("10.00"),
            reason: "account moved".into(),
        }],
        eq![salesplan::quota::GapRow: from(json!({"position": "lead", "target": "100.00 USD",
            "reports": "90.00 USD", "over_assignment": "1.1", "gap": "10.00 USD",
            "uncovered": "10.00 USD"}))],
        eq![salesplan::quota::TargetExplanation: from(json!({"position": "rep",
            "manager": "lead", "manager_target": "100.00 USD", "over_assignment": "110%",
            "split_total": "110.00 USD", "pool": "110.00 USD", "basis": {"measure": "a"},
            "weight": "1", "pool_weight": "2", "bound": "proportional", "extra_unit": false,
            "planned": "55.00 USD", "target": "55.00 USD", "carries_quota": true,
            "rounding": "half_even"}))],
        eq![Ramp: Ramp::new(["0%".parse().unwrap(), "50%".parse().unwrap(), Percent::HUNDRED])],
        eq![Grain: Grain::Monthly],
        eq![Seasonality: Seasonality::quarterly([1, 2, 3, 4].map(Decimal::from)).unwrap(),
            Seasonality::quarterly([1, 2, 3, 4].map(Decimal::from)).unwrap()
                .months_by(salesplan::quota::MonthSplit::WorkingDays(work()))],
        eq![salesplan::quota::Cohort: salesplan::quota::Cohort::new(d(2, 1), 3)],
        eq![salesplan::quota::CapacityModel:
            salesplan::quota::CapacityModel::new(Money::parse("30000.00", Currency::USD).unwrap(), "85%".parse().unwrap()).unwrap(),
            salesplan::quota::CapacityModel::new(Money::parse("30000.00", Currency::USD).unwrap(), "85%".parse().unwrap()).unwrap()
                .attrition("2%".parse().unwrap())
                .ramp(Ramp::new(["0%".parse().unwrap()]))
                .rounding(RoundingPolicy::HalfEven)],
        eq![salesplan::quota::TerritoryBasis: salesplan::quota::TerritoryBasis::Equal,
            salesplan::quota::TerritoryBasis::LeafMeasure(
                [(TerritoryId::new("ca").unwrap(), Decimal::from(600))].into_iter().collect())],
        eq![salesplan::quota::MonthSplit: salesplan::quota::MonthSplit::EqualMonths,
            salesplan::quota::MonthSplit::WorkingDays(work())],
        eq![salesplan::quota::QuotaMeasure: salesplan::quota::QuotaMeasure::Revenue(Currency::USD),
            salesplan::quota::QuotaMeasure::NewLogos,
            salesplan::quota::QuotaMeasure::Named("demos".into())],
        eq![salesplan::quota::MeasureUnit: salesplan::quota::MeasureUnit::WHOLE,
            salesplan::quota::MeasureUnit::new(dec("0.5")).unwrap()],
        eq![salesplan::quota::MeasurePlan: measure_plan(),
            measure_plan().unit(salesplan::quota::MeasureUnit::new(dec("5")).unwrap())
                .floors(vec![None, Some(dec("10"))]).caps(vec![Some(dec("50"))])
                .exclude_none().exclude(Role::SalesRep)],
        eq![salesplan::quota::ChangeReason: salesplan::quota::ChangeReason::Relief,
            salesplan::quota::ChangeReason::Reorg],
        eq![salesplan::quota::ReorgTargets: reorg_targets()],
        eq![salesplan::quota::QuotaChangeKind: quota_change_kinds()[0].clone(),
            quota_change_kinds()[1].clone(), quota_change_kinds()[2].clone(),
            quota_change_kinds()[3].clone()],
        eq![salesplan::quota::QuotaChange: salesplan::quota::QuotaChange::new(
            2, quota_change_kinds()[1].clone(), d(3, 15), "account moved"),
            salesplan::quota::QuotaChange::new(1, quota_change_kinds()[3].clone(), d(7, 1), "reorg")],
        eq![salesplan::quota::ChangeNote: from(json!({"reason": "relief", "note": "lost account",
            "approved_by": "ana"})), from(json!({"reason": "transfer", "note": "what if",
            "approved_by": null}))],
        eq![salesplan::quota::DiffLine: from(json!({"position": "rep", "currency": "USD",
            "before": [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
            "after": [100, 100, 100, 90, 90, 90, 90, 90, 90, 90, 90, 90],
            "why": [{"reason": "relief", "note": "lost account", "approved_by": "ana"}]}))],
        // allocation
        eq![allocation::Bound: allocation::Bound::Floor],
        eq![allocation::Share: from(json!({"amount": "1.00 USD", "bound": "cap", "extra_unit": true}))],
        // territory
        eq![territory::AttributeType: territory::AttributeType::Number],
        eq![territory::Attribute: territory::Attribute::PostalCode,
            territory::Attribute::Custom("tier".into())],
        eq![territory::Value: from(json!({"text": "gold"})), from(json!({"number": "5"})),
            from(json!({"flag": true}))],
        eq![territory::Account: crate::support::territory::west_accounts()[0]
            .clone()
            .with_attribute("tier", territory::Value::Text("gold".into()))
            .with_attribute("score", territory::Value::Number(dec("3")))],
        eq![territory::AccountBook: crate::support::territory::west_book()],
        eq![territory::AssignedBy: from(json!("named")), from(json!({"rule": {"priority": 10}})),
            from(json!("kept"))],
        eq![territory::Outcome: from(json!({"assigned": {"territory": "sf", "by": "named"}})),
            from(json!("unassigned")),
            from(json!({"conflict": {"priority": 20, "territories": ["east-bay", "health"]}}))],
        eq![territory::Placement: from(json!({"account": "acme",
            "outcome": {"assigned": {"territory": "sf", "by": {"rule": {"priority": 10}}}}}))],
        eq![territory::OutcomeCounts: from(json!({"assigned": 1, "unassigned": 2, "conflicts": 3}))],
        eq![territory::Assignment: from(json!([
            {"account": "acme", "outcome": {"assigned": {"territory": "sf", "by": "named"}}},
            {"account": "bolt", "outcome": "unassigned"}]))],
        eq![territory::Alignment: from(json!([["acme", "sf"], ["bolt", "peninsula"]]))],
        eq![territory::BalanceBasis: territory::BalanceBasis::Workload],
        eq![territory::TerritoryLoad: from(json!({"territory": "sf", "accounts": 3,
            "potential": "100.00 USD", "workload_hours": "12.5",
            "last_year_sales": "50.00 USD"}))],
        eq![territory::Deviation: from(json!({"territory": "sf", "fraction": "0.1"}))],
        eq![territory::Spread: from(json!({"total": "10", "mean": "5", "min": "4", "max": "6",
            "max_min_ratio": "1.5", "coefficient_of_variation": "0.2",
            "worst_deviation": "0.2",
            "deviations": [{"territory": "sf", "fraction": "0.2"}]}))],
        eq![territory::BalanceReport: from(json!({
            "loads": [{"territory": "sf", "accounts": 3, "potential": "100.00 USD",
                "workload_hours": "12.5", "last_year_sales": "50.00 USD"}],
            "potential": {"total": "10", "mean": "5", "min": "4", "max": "6",
                "max_min_ratio": "1.5", "coefficient_of_variation": "0.2",
                "worst_deviation": "0.2",
                "deviations": [{"territory": "sf", "fraction": "0.2"}]},
            "workload": {"total": "10", "mean": "5", "min": "4", "max": "6",
                "max_min_ratio": null, "coefficient_of_variation": null,
                "worst_deviation": null, "deviations": []},
            "accounts": {"total": "10", "mean": "5", "min": "4", "max": "6",
                "max_min_ratio": null, "coefficient_of_variation": null,
                "worst_deviation": null, "deviations": []}}))],
        eq![territory::CoverageKind: territory::CoverageKind::Overlay],
        eq![territory::CoverageShare: territory::CoverageShare::new(
            pos("r1"),
            territory::CoverageKind::Primary,
            "100%".parse().unwrap(),
        )],
        eq![territory::Coverage: territory::Coverage::primary(
            TerritoryId::new("sf").unwrap(),
            pos("r1"),
            always(),
        )],
        eq![territory::CoverageTable: from(json!([{"territory": "sf", "position": "r1",
            "kind": "primary", "share": "100%", "effective": {"start": "2025-01-01", "end": null}}]))],
        eq![territory::TerritoryCoverage: from(json!({
            "alignment": [["acme", "sf"]],
            "coverage": [{"territory": "sf", "position": "r1", "kind": "primary",
                "share": "100%", "effective": {"start": "2025-01-01", "end": null}}]}))],
        eq![territory::Territory: territory::Territory::new(TerritoryId::new("sf").unwrap())
            .with_name("San Francisco")],
        eq![territory::TerritoryLine: territory::TerritoryLine::new(
            TerritoryId::new("sf").unwrap(),
            TerritoryId::new("west").unwrap(),
            always(),
        )],
        eq![territory::TerritoryMapBuilder: crate::support::territory::west_map().to_builder()],
        same_json![territory::TerritoryMap: crate::support::territory::west_map()],
        eq![territory::Shift<TerritoryId>: from(json!({"key": "sf", "accounts_in": 1,
            "accounts_out": 0, "potential_in": "1.00 USD", "potential_out": "0.00 USD",
            "sales_in": "1.00 USD", "sales_out": "0.00 USD"}))],
        eq![territory::Shift<PositionId>: from(json!({"key": "r1", "accounts_in": 1,
            "accounts_out": 0, "potential_in": "1.00 USD", "potential_out": "0.00 USD",
            "sales_in": "1.00 USD", "sales_out": "0.00 USD"}))],
        eq![territory::Move: from(json!({"account": "acme", "from": "sf", "to": "peninsula",
            "potential": "1.00 USD", "workload_hours": "2", "last_year_sales": "3.00 USD"}))],
        eq![territory::Realignment: from(json!({
            "moves": [{"account": "acme", "from": "sf", "to": "peninsula",
                "potential": "1.00 USD", "workload_hours": "2", "last_year_sales": "3.00 USD"}],
            "territories": [{"key": "sf", "accounts_in": 0, "accounts_out": 1,
                "potential_in": "0.00 USD", "potential_out": "1.00 USD",
                "sales_in": "0.00 USD", "sales_out": "3.00 USD"}],
            "positions": [{"key": "r1", "accounts_in": 0, "accounts_out": 1,
                "potential_in": "0.00 USD", "potential_out": "1.00 USD",
                "sales_in": "0.00 USD", "sales_out": "3.00 USD"}]}))],
        eq![territory::RebalanceOptions: from(json!({"tolerance": "10%", "basis": "workload",
            "locked": ["acme"], "lock_named": false, "max_moves": 3}))],
        eq![territory::Rebalance: from(json!({
            "moves": [{"account": "acme", "from": "sf", "to": null,
                "potential": "1.00 USD", "workload_hours": "2", "last_year_sales": "3.00 USD"}],
            "alignment": [["bolt", "sf"]], "worst_before": "0.5", "worst_after": "0.1",
            "within_tolerance": true}))],
        eq![territory::Predicate:
            from(json!({"equals": {"attribute": "industry", "value": {"text": "62"}}})),
            from(json!({"one_of": {"attribute": {"custom": "tier"},
                "values": [{"text": "gold"}, {"text": "silver"}]}})),
            from(json!({"prefix": {"attribute": "postal_code", "prefix": "94"}})),
            from(json!({"range": {"attribute": "employees", "from": "1000", "to": "5000"}})),
            from(json!({"all": [{"prefix": {"attribute": "postal_code", "prefix": "94"}},
                {"not": {"equals": {"attribute": "named", "value": {"flag": true}}}}]})),
            from(json!({"any": [{"prefix": {"attribute": "country", "prefix": "U"}}]}))],
        eq![territory::Rule: crate::support::territory::west_rules().rules()[3].clone()],
        eq![territory::NamedAccount: territory::NamedAccount::new(
            account("globex"),
            TerritoryId::new("sf").unwrap(),
        )],
        eq![territory::RuleBookBuilder: from(json!({
            "attributes": {"tier": "text", "score": "number"},
            "rules": [{"territory": "sf", "priority": 10, "when":
                {"equals": {"attribute": {"custom": "tier"}, "value": {"text": "gold"}}}}],
            "named": [{"account": "globex", "territory": "sf"}]}))],
        same_json![territory::RuleBook: crate::support::territory::west_rules()
            .to_builder()
            .attribute("tier", territory::AttributeType::Text)
            .attribute("score", territory::AttributeType::Number)
            .build()
            .unwrap()],
        // activity
        eq![activity::ActivityEntry: from(json!({"person": "ana", "kind": "call",
            "date": "2025-03-03", "quantity": 4}))],
        eq![activity::WeeklyTally: from(json!({"person": "ana", "week": period,
            "kind": {"custom": {"name": "webinar", "unit": "minutes"}}, "quantity": 4}))],
        eq![activity::ScoreWeights: from(json!({"default": "1",
            "weights": [["call", "2"], [{"custom": {"name": "webinar", "unit": "count"}}, "3"]]}))],
        eq![activity::WeekStatus: activity::WeekStatus::Missing],
        eq![activity::KindLine: from(json!({"kind": "call", "target": prorated,
            "actual": 18, "attainment": ratio}))],
        eq![activity::PersonWeek: from(json!({"person": "ana", "role": "sales_rep",
            "week": period, "status": "submitted",
            "lines": [{"kind": "call", "target": prorated, "actual": 18, "attainment": ratio}],
            "score": ratio_zero}))],
        eq![activity::ReviewOptions: from(json!({"work": {"weekdays": ["Mon", "Tue"],
            "holidays": ["2025-01-01"]}, "absences": [["ana", period]],
            "weights": {"default": "1", "weights": [["call", "2"]]}}))],
        eq![activity::FunnelCounts: from(json!({"calls": 10, "appointments": 5,
            "opportunities": 2, "wins": 1}))],
        eq![activity::FunnelRatios: from(json!({"call_to_appointment": ratio,
            "appointment_to_opportunity": ratio_zero, "opportunity_to_win": ratio,
            "call_to_win": ratio}))],
        eq![activity::TaskCategory: activity::TaskCategory::Coaching],
        eq![activity::TimeEntry: from(json!({"person": "ana", "category": "selling",
            "date": "2025-03-03", "minutes": 90}))],
        eq![activity::TimeShare: from(json!({"category": "travel", "minutes": 60,
            "share": ratio}))],
        eq![activity::TimeShares: from(json!({"person": "ana", "period": period,
            "total_minutes": 60, "shares": [{"category": "travel", "minutes": 60,
            "share": ratio}]}))],
        eq![activity::Unit: activity::Unit::Minutes],
        eq![activity::ActivityKind: from(json!("demo")),
            from(json!({"custom": {"name": "webinar", "unit": "count"}}))],
        eq![activity::CustomKind: from(json!({"name": "webinar", "unit": "minutes"}))],
        eq![activity::Cadence: activity::Cadence::Month],
        eq![activity::Ratio: from(ratio.clone()), from(ratio_zero.clone())],
        eq![activity::ActivityTarget: from(target.clone())],
        eq![activity::ProratedTarget: from(prorated.clone())],
        eq![activity::TargetPlan: crate::support::perf::rep_plan(), from(json!({
            "roles": [["sales_rep", target]], "people": [["ana", target]]}))],
        // perf
        eq![perf::PeriodKind: perf::PeriodKind::Quarter],
        eq![perf::Action: perf::Action::Coaching, perf::Action::Custom("call HR".into())],
        eq![perf::EscalationRule: from(json!({"kind": "month", "below": "0.5",
            "consecutive": 2, "action": {"custom": "review"}}))],
        eq![perf::PeriodResult: from(json!({"kind": "month", "period": period,
            "attainment": ratio}))],
        eq![perf::Figure: from(json!({"period": period, "attainment": ratio_zero}))],
        eq![perf::ActionDue: from(json!({"person": "ana", "as_of": "2025-04-01",
            "action": "written_warning", "rule": 0, "kind": "month", "below": "0.5",
            "periods": [{"period": period, "attainment": ratio}]}))],
        eq![perf::EscalationPolicy: from(json!({"rules": [{"kind": "month", "below": "0.5",
            "consecutive": 2, "action": "coaching"}], "exempt_ramp": true}))],
        eq![perf::PaceCurve: from(json!({"parts": [{"period": {"start": "2025-01-01",
            "end": "2025-02-01"}, "weight": "1"}, {"period": {"start": "2025-02-01",
            "end": "2025-04-01"}, "weight": "2"}], "work": {"weekdays": ["Mon", "Tue", "Wed",
            "Thu", "Fri"], "holidays": []}}))],
        eq![perf::Pacing: from(json!({"period": q1, "as_of": "2025-02-01", "target": "300",
            "actual": "90", "expected_fraction": "0.3", "expected": "90", "attainment": ratio,
            "pace": ratio, "projection": ratio_zero}))],
        eq![perf::Status: perf::Status::AtRisk],
        eq![perf::StatusDriver: perf::StatusDriver::Activity],
        eq![perf::StatusBands: from(json!({"on_track": "1", "at_risk": "0.85"}))],
        eq![perf::Ranked<PersonId>: from(json!({"key": "ana", "attainment": ratio,
            "rank": 1, "of": 3, "percentile": "0.5", "quartile": 2}))],
        eq![perf::Ranked<PositionId>: from(json!({"key": "r1", "attainment": ratio_zero,
            "rank": null, "of": 3, "percentile": null, "quartile": null}))],
        eq![perf::TenureBands: from(json!([3, 12]))],
        eq![perf::MemberRow: from(json!({"position": "r1", "holder": "ana",
            "role": "sales_rep", "target": "100.00 USD", "actual": "75.00 USD",
            "attainment": ratio, "pace": ratio, "status": "at_risk", "activity": ratio,
            "rank": 1, "percentile": "0.5", "quartile": 2, "contribution": ratio,
            "actions": [{"person": "ana", "as_of": "2025-04-01", "action": "coaching",
                "rule": 0, "kind": "month", "below": "0.5", "periods": []}]}))],
        eq![perf::TeamReport: from(json!({"manager": "lead", "holder": "lee",
            "period": q1, "as_of": "2025-02-01", "target": "100.00 USD",
            "actual": "75.00 USD", "own_actual": "0.00 USD", "expected": "33.33 USD",
            "attainment": ratio, "pace": ratio, "projection": "150.00 USD",
            "status": "on_track", "activity": ratio, "uncovered": "0.00 USD",
            "members": [{"position": "r1", "holder": "ana", "role": "sales_rep",
                "target": "100.00 USD", "actual": "75.00 USD", "attainment": ratio,
                "pace": ratio, "status": "at_risk", "activity": null, "rank": 1,
                "percentile": null, "quartile": null, "contribution": ratio,
                "actions": []}]}))],
        // bonus
        eq![bonus::Action: from(json!({"approve_discretionary_bonus": {"amount": "500.00 USD"}})),
            from(json!({"approve_quota_relief": {"relief": "10%"}})),
            from(json!({"deploy_action_plan": {"plan": "TRAIN", "recent_attainment": ["0.5"]}})),
            from(json!("issue_warning")), from(json!({"custom": "promote"})),
            from(json!({"approve_adjustment": {"amount": "700.00 USD"}}))],
        eq![bonus::Power: from(json!({"approve_discretionary_bonus": {"up_to": "1000.00 USD"}})),
            from(json!({"approve_quota_relief": {"up_to": "10%"}})),
            from(json!("coaching")), from(json!({"custom": "promote"})),
            from(json!({"approve_adjustment": {"up_to": "500.00 USD"}}))],
        eq![bonus::Scope: bonus::Scope::DirectReports],
        eq![bonus::Grant: crate::support::bonus::grants()[0].clone()],
        eq![bonus::Qualification: from(json!({"roles": ["sales_rep"], "below": "80%",
            "periods": 2}))],
        eq![bonus::ActionPlan: crate::support::bonus::training_plan()],
        eq![bonus::AuthorityPolicy: crate::support::bonus::policy()],
        eq![bonus::Approver: from(json!({"position": "lead", "person": "lee",
            "role": "team_lead", "decides": true}))],
        eq![bonus::PlanMiss: bonus::PlanMiss::NotQualified],
        eq![bonus::Reason:
            from(json!({"granted": {"role": "team_lead", "power": "coaching",
                "scope": "subtree"}})),
            from(json!({"pre_approved": {"plan": "TRAIN", "approved_by": "maria",
                "approved_on": "2025-01-02"}})),
            from(json!({"no_power": {"role": "sales_rep"}})),
            from(json!({"over_limit": {"role": "team_lead", "power":
                {"approve_discretionary_bonus": {"up_to": "100.00 USD"}}}})),
            from(json!({"out_of_scope": {"role": "team_lead", "scope": "direct_reports"}}))],
        eq![bonus::Outcome: from(json!("allowed")), from(json!({"needs_approval": {"chain":
            [{"position": "rsm", "person": "maria", "role": "regional_manager",
                "decides": true}]}})), from(json!("denied"))],
        eq![bonus::Decision: from(json!({"actor": "lee", "subject": "ana",
            "action": {"approve_discretionary_bonus": {"amount": "500.00 USD"}},
            "outcome": {"needs_approval": {"chain": [{"position": "rsm", "person": "maria",
                "role": "regional_manager", "decides": true}]}},
            "reason": {"over_limit": {"role": "team_lead", "power":
                {"approve_discretionary_bonus": {"up_to": "100.00 USD"}}}},
            "plan_miss": "outside_scope"}))],
        eq![bonus::Request: from(json!({"actor": "lee", "action": "coaching",
            "subject": "ana"}))],
        eq![bonus::ContestMeasure: from(json!("new_logos")), from(json!({"custom": "demos"}))],
        eq![bonus::Award: from(json!({"top_n": {"prizes": ["500.00 USD", "250.00 USD"]}})),
            from(json!({"threshold": {"threshold": "10", "prize": "100.00 USD"}}))],
        eq![bonus::Eligibility: from(json!("everyone")), from(json!({"people": ["ana", "ben"]}))],
        eq![bonus::ContestEvent: from(json!({"person": "ana", "date": "2025-03-03",
            "value": "2"}))],
        eq![bonus::Contest: from(json!({"id": "Q1-BLITZ", "window": q1, "measure": "revenue",
            "award": {"top_n": {"prizes": ["500.00 USD"]}},
            "eligibility": {"people": ["ana", "ben"]}, "minimum": "1"}))],
        eq![bonus::Standing: from(json!({"rank": 1, "person": "ana", "value": "10",
            "tied": 1, "prize": "500.00 USD"}))],
        eq![bonus::ContestResult: from(json!({"contest": "Q1-BLITZ", "measure": "revenue",
            "standings": [{"rank": 1, "person": "ana", "value": "10", "tied": 1,
                "prize": "500.00 USD"}]}))],
        eq![bonus::CurvePoint: from(curve_point.clone())],
        eq![bonus::PayoutCurve: crate::support::bonus::issue_curve()],
        eq![bonus::Segment:
            from(json!({"below_threshold": {"first": curve_point}})),
            from(json!({"at_point": {"point": curve_point}})),
            from(json!({"between": {"from": curve_point, "to": curve_point}})),
            from(json!({"beyond": {"last": curve_point}}))],
        eq![bonus::CurveReading: from(json!({"attainment": "1", "segment":
            {"at_point": {"point": curve_point}}, "payout": "100%", "capped": false}))],
        eq![bonus::BonusState: from(json!("proposed")),
            from(json!({"approved": {"by": "maria", "on": "2025-03-03"}})),
            from(json!({"rejected": {"by": "maria", "on": "2025-03-03"}})),
            from(json!({"payable": {"approved_by": "maria", "approved_on": "2025-03-03",
                "payable_on": "2025-03-31"}}))],
        eq![bonus::DiscretionaryBonus: from(json!({"id": "B-1", "proposed_by": "lee",
            "recipient": "ana", "amount": "500.00 USD", "reason": "big deal",
            "proposed_on": "2025-03-01",
            "state": {"approved": {"by": "maria", "on": "2025-03-03"}}}))],
        eq![bonus::Budget: from(json!({"amount": "5000.00 USD", "period": q1}))],
        eq![bonus::BonusLedger: from(json!({
            "budgets": [["lee", {"amount": "5000.00 USD", "period": q1}]],
            "bonuses": [{"id": "B-1", "proposed_by": "lee", "recipient": "ana",
                "amount": "500.00 USD", "reason": "big deal", "proposed_on": "2025-03-01",
                "state": "proposed"}]}))],
        eq![bonus::Objective: from(json!({"name": "pipeline", "weight": "60%",
            "cap": "150%"}))],
        eq![bonus::Scorecard: from(json!([{"name": "pipeline", "weight": "60%",
            "cap": "150%"}, {"name": "hygiene", "weight": "40%", "cap": "100%"}]))],
        eq![bonus::ObjectiveScore: from(json!({"objective": {"name": "pipeline",
            "weight": "60%", "cap": "150%"}, "score": "120%", "counted": "120%",
            "contribution": "72%"}))],
        eq![bonus::MboResult: from(json!({"lines": [{"objective": {"name": "pipeline",
            "weight": "100%", "cap": "150%"}, "score": "120%", "counted": "120%",
            "contribution": "120%"}], "percent": "120%"}))],
        eq![bonus::Gate: from(json!({"name": "margin", "minimum": "80%"}))],
        eq![bonus::GateCheck: from(json!({"gate": {"name": "margin", "minimum": "80%"},
            "figure": "0.9", "passed": true}))],
        eq![bonus::TargetBonus: from(json!({"id": "AE-BONUS", "period": q1,
            "curve": crate::support::bonus::issue_curve(),
            "gates": [{"name": "margin", "minimum": "80%"}], "proration": "working_days",
            "work": {"weekdays": ["Mon"], "holidays": []}, "rounding": "half_even"}))],
        eq![bonus::BonusInputs: from(json!({"person": "ana", "target": "1000.00 USD",
            "attainment": "1.1", "figures": {"margin": "0.9", "nps": "40"},
            "employed": {"start": "2025-02-01", "end": null}}))],
        eq![bonus::BonusPayout: from(json!({"plan": "AE-BONUS", "person": "ana",
            "target": "1000.00 USD", "reading": {"attainment": "1", "segment":
                {"at_point": {"point": curve_point}}, "payout": "100%", "capped": false},
            "gates": [{"gate": {"name": "margin", "minimum": "80%"}, "figure": "0.9",
                "passed": true}],
            "proration": {"covered": 1, "total": 3, "basis": "whole_months"},
            "unrounded": "333.333 USD", "amount": "333.33 USD", "rounding": "half_even"}))],
        eq![bonus::TeamSplit: bonus::TeamSplit::ByAttainment],
        eq![bonus::TeamMember: from(json!({"position": "r1", "share": "60%",
            "quota": "100.00 USD"}))],
        eq![bonus::TeamBonus: from(json!({"id": "TEAM", "curve":
            crate::support::bonus::issue_curve(), "split": "by_share",
            "rounding": "half_even"}))],
        eq![bonus::TeamInputs: from(json!({"manager": "lead", "pool_target": "1000.00 USD",
            "team_quota": "5000.00 USD", "members": [{"position": "r1", "share": "60%",
            "quota": "100.00 USD"}]}))],
        eq![bonus::MemberShare: from(json!({"position": "r1", "holder": "ana",
            "weight": "0.6", "amount": "600.00 USD"}))],
        eq![bonus::TeamPayout: from(json!({"plan": "TEAM", "manager": "lead",
            "reading": {"attainment": "1", "segment": {"beyond": {"last": curve_point}},
                "payout": "100%", "capped": true},
            "split": "equal", "pool_target": "1000.00 USD", "unrounded": "1000 USD",
            "pool": "1000.00 USD", "rounding": "half_even",
            "shares": [{"position": "r1", "holder": null, "weight": "1",
                "amount": "1000.00 USD"}]}))],
        // Issue #31: the pipeline.
        eq![salesplan::pipeline::PipelineOptions: salesplan::pipeline::PipelineOptions::new(period),
            salesplan::pipeline::PipelineOptions::new(q1).rounding(RoundingPolicy::HalfEven)],
        eq![salesplan::pipeline::OpportunityId: salesplan::pipeline::OpportunityId::new("o1").unwrap()],
        eq![salesplan::pipeline::Owner: salesplan::pipeline::Owner::Position(pos("r1")),
            salesplan::pipeline::Owner::Person(person("ana"))],
        eq![salesplan::pipeline::ForecastCategory: salesplan::pipeline::ForecastCategory::BestCase],
        eq![salesplan::pipeline::Outcome: salesplan::pipeline::Outcome::Lost],
        eq![salesplan::pipeline::Closed: from(json!({"outcome": "won", "date": "2025-03-01",
            "amount": "10.00 USD"}))],
        eq![salesplan::pipeline::Stage: from(json!({"name": "demo", "probability": "30%"}))],
        eq![salesplan::pipeline::Stages: from(json!([{"name": "demo", "probability": "30%"}]))],
        eq![salesplan::pipeline::Opportunity: from(json!({"id": "o1", "owner": {"position": "r1"},
            "stage": "demo", "probability": "25%", "amount": "10.00 USD",
            "created": "2025-01-01", "expected_close": "2025-03-01", "category": "commit",
            "closed": {"outcome": "won", "date": "2025-03-01", "amount": "10.00 USD"}}))],
        eq![salesplan::pipeline::Pipeline: from(json!({"currency": "USD",
            "stages": [{"name": "demo", "probability": "30%"}],
            "opportunities": [{"id": "o1", "owner": {"person": "ana"}, "stage": "demo",
                "amount": "10.00 USD", "created": "2025-01-01", "expected_close": "2025-03-01"}]}))],
        eq![salesplan::pipeline::ForecastCall: from(json!({"position": "r1",
            "commit": "5.00 USD", "best_case": "8.00 USD"}))],
    ]
}

/// Issue #27, defect 2: a misspelled field (`"minimun"`) was ignored and
/// the plan paid as if it were absent. Every type that can come from
/// outside, listed in [`rows`] (plans and their parts, credit and quota
/// plans, calendars, transactions, credit runs and lines, quotas,
/// activity logs and targets, org rows, territory maps, rules, coverage
/// and accounts, bonus plans, curves, scorecards, contests, ledgers and
/// authority policies, rate tables, plan assignments, locked statements,
/// and the reports a program stores), refuses an unknown field in any
/// object of its JSON (nested, in arrays, in enum variants) with an error
/// naming it; only a map of the user's own data keeps the key as an
/// entry. Each instance also reads back equal to itself.
#[test]
fn every_input_type_refuses_an_unknown_field_at_any_depth() {
    let rows = rows();
    let problems: Vec<&String> = rows.iter().flat_map(|r| &r.found.problems).collect();
    let objects: usize = rows.iter().map(|r| r.found.objects).sum();
    assert!(
        problems.is_empty(),
        "{} problem(s) over {} types and {objects} objects:\n{}",
        problems.len(),
        rows.len(),
        problems
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(objects > 800, "{objects}");
    // The only objects that take any key: maps of the user's own data.
    let mut kept: Vec<&str> = rows
        .iter()
        .flat_map(|r| &r.found.kept)
        .map(String::as_str)
        .collect();
    kept.sort_unstable();
    assert_eq!(
        kept,
        [
            "Account /attributes",
            "BonusInputs /figures",
            "MeasurePlan /levels",
            "MeasurePlan /levels",
            "Measures /named",
            "QuotaChange /kind/reorg/months",
            "QuotaChangeKind /reorg/months",
            "QuotaPlan /levels",
            "ReorgTargets /months",
            "RuleBook /attributes",
            "RuleBookBuilder /attributes",
            "TerritoryBasis /leaf_measure",
            "Transaction /measures",
            "Transaction /measures",
        ]
    );
}

/// The check itself finds the bug: a type without `deny_unknown_fields`
/// drops the key, in a nested object as at the top; one with it refuses,
/// naming the key; a map keeps it.
#[test]
fn the_contract_check_finds_a_dropped_field() {
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Lax {
        a: u32,
    }
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        inner: Vec<Lax>,
        named: std::collections::BTreeMap<String, u32>,
    }
    let lax = check(&Lax { a: 1 }, |a, b| a == b);
    assert_eq!(lax.objects, 1);
    assert_eq!(lax.problems.len(), 1, "{lax:?}");
    assert!(lax.problems[0].contains("silently dropped"), "{lax:?}");
    let strict = Strict {
        inner: vec![Lax { a: 1 }],
        named: [("x".to_owned(), 2)].into(),
    };
    let strict = check(&strict, |a, b| a == b);
    assert_eq!(strict.objects, 3);
    assert_eq!(strict.problems.len(), 1, "{strict:?}");
    assert!(
        strict.problems[0].contains(r#"at "/inner/0": an unknown field is silently dropped"#),
        "{strict:?}"
    );
    assert_eq!(strict.kept, ["Strict /named"]);
}

/// The public types of `src/` that derive `Deserialize`, as
/// `salesplan::module::path::Name` (the path `type_name` gives): a
/// `pub struct` or `pub enum` whose attributes (the lines above it, up to
/// its doc comment) name `Deserialize`. The id types, made by a macro,
/// are not seen here.
fn deserializable_types_in_src() -> BTreeSet<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut found = BTreeSet::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap().with_extension("");
        let mut module: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if module.last().is_some_and(|m| m == "mod" || m == "lib") {
            module.pop();
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let Some(rest) = t
                .strip_prefix("pub struct ")
                .or_else(|| t.strip_prefix("pub enum "))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let attributes = lines[..i]
                .iter()
                .rev()
                .map(|l| l.trim())
                .take_while(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with('}'))
                .collect::<Vec<_>>()
                .join(" ");
            if attributes.contains("Deserialize") && !name.is_empty() && !name.starts_with('$') {
                let mut path = vec!["salesplan".to_owned()];
                path.extend(module.iter().cloned());
                path.push(name);
                found.insert(path.join("::"));
            }
        }
    }
    found
}

/// The list in [`rows`] is complete: every public type of `src/` that
/// derives `Deserialize` is in it (a new type must be added, with an
/// instance), and it names no type that is not.
#[test]
fn the_contract_lists_every_deserializable_type() {
    let listed: BTreeSet<String> = rows()
        .iter()
        .map(|r| r.ty.split('<').next().unwrap().to_owned())
        .collect();
    let in_src = deserializable_types_in_src();
    assert!(in_src.len() > 150, "{in_src:?}");
    let missing: Vec<&String> = in_src.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "not in the contract's list: {missing:?}"
    );
    let ids = listed
        .iter()
        .filter(|t| t.starts_with("salesplan::ids::"))
        .count();
    let extra: Vec<&String> = listed
        .difference(&in_src)
        .filter(|t| !t.starts_with("salesplan::ids::"))
        .collect();
    assert!(extra.is_empty(), "listed, but not found in src/: {extra:?}");
    assert_eq!(ids, 10, "{listed:?}");
}
