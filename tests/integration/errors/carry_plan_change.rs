//! A carry forfeited at a plan's end with no statement to show it.

use salesplan::comp::{
    AssignedCommissions, Commissions, CompError, Quotas, carry_capped, carry_capped_in_force,
};
use salesplan::credit::CreditBasis;

use crate::scenarios::carry_plan_change::capped;
use crate::scenarios::comp_close::ana_on;
use crate::support::comp::*;
use crate::support::credit::{sale, usd};
use crate::support::person;

/// Ana's May under v1 was locked still carrying 300; v1 ends with May.
/// Given alone, or followed only by another person's statements, the
/// forfeit has nowhere to be shown: refused, naming Ana, v1, the
/// component, May and the 300.
#[test]
fn a_forfeit_at_a_plans_end_with_nowhere_to_show_it_names_person_plan_and_amount() {
    let (v1, v2) = (capped("v1"), capped("v2"));
    let txs = vec![
        sale("T1", d(5, 10), "8000", &[("r1", "100%")]),
        sale("T2", d(6, 10), "1000", &[("r3", "100%")]),
    ];
    let revenue = run(CreditBasis::Revenue, &txs);
    let made = Commissions::new(&v1, &[&revenue])
        .unwrap()
        .statements(&ana(), &Quotas::new(), &[], d(5, 31))
        .unwrap();
    let locked = carry_capped(&v1, &made).unwrap();
    let on = ana_on(&[("v1", d(1, 1), Some(d(6, 1))), ("v2", d(6, 1), None)]);
    let in_force = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue])
        .unwrap()
        .in_force(&ana());
    let mut with_noah = locked.clone();
    with_noah.extend(
        Commissions::new(&v2, &[&revenue])
            .unwrap()
            .statements(&person("noah"), &Quotas::new(), &[], d(6, 30))
            .unwrap(),
    );
    for given in [&locked, &with_noah] {
        let err = carry_capped_in_force(&v1, given, &in_force).unwrap_err();
        let CompError::CarryForfeitUnshown(u) = err else {
            panic!("{err}");
        };
        assert_eq!(
            (u.person.as_str(), u.plan.as_str(), u.component.as_str()),
            ("ana", "v1", "Revenue")
        );
        assert_eq!((u.period, u.amount), (month(5), usd("300.00")));
    }
}
