//! A close: a bonus for a seat vacant on the close date names the seat and
//! the date; a step's own error comes through the crate's `Error`.

use salesplan::bonus::{PayoutCurve, TargetBonus};
use salesplan::calendar::{FiscalCalendar, WorkCalendar};
use salesplan::close::Close;
use salesplan::credit::{CreditBasis, CreditPlan, Transaction, TransactionKind};
use salesplan::perf::{PaceCurve, PerfError};
use salesplan::quota::{Measures, QuotaPlan};
use salesplan::{CreditError, Currency, Error, Money, Period, PlanId, Rate};

use crate::common::date;
use crate::support::credit::{account, region, tid, usd};
use crate::support::pos;

#[test]
fn a_bonus_of_a_vacant_seat_and_a_bad_feed_are_errors() {
    let org = region();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let quotas = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1200000.00"))
        .cascade(&snapshot, &Measures::new())
        .unwrap();
    let r = |s: &str| s.parse::<Rate>().unwrap();
    let curve = PayoutCurve::new([(r("0%"), r("0%")), (r("100%"), r("100%"))], r("200%")).unwrap();
    let bonus = TargetBonus::new(PlanId::new("TL").unwrap(), q1, curve);
    let pace = PaceCurve::working_days(q1, WorkCalendar::monday_to_friday());
    // r5 is vacant all year.
    let err = Close::new(&org, q1, date(2025, 3, 31))
        .quotas(&quotas, pace.clone())
        .bonus(pos("r5"), &bonus, usd("1000.00"))
        .run()
        .unwrap_err();
    assert_eq!(
        err,
        Error::from(PerfError::VacantSeat {
            position: pos("r5"),
            as_of: date(2025, 3, 31)
        })
    );
    assert_eq!(err.to_string(), "r5 is vacant on 2025-03-31");
    // A return of more than its sale stops the close with the crediting's error.
    let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let feed = [
        crate::support::credit::sale("SO-1", date(2025, 1, 15), "100.00", &[("r1", "100%")]),
        Transaction::new(
            tid("RT-1"),
            TransactionKind::Return,
            date(2025, 1, 20),
            account("ACME"),
            Money::parse("-200.00", Currency::USD).unwrap(),
        )
        .with_original(tid("SO-1")),
    ];
    let err = Close::new(&org, q1, date(2025, 3, 31))
        .credit(&plan, None, &feed)
        .run()
        .unwrap_err();
    assert!(
        matches!(err, Error::Credit(CreditError::ExceedsOriginal { .. })),
        "{err:?}"
    );
}
