//! The org and the roll-up from columns (issue #29): integer and text ids,
//! `OrgColumns` against `OrgBuilder`, batched resolution against per-id
//! lookups, `sum_credit_columns` against a naive subtree sum, and the
//! errors each names.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::calendar::DateRange;
use salesplan::org::{Org, OrgColumns, OrgError, Position, ReportingLine, Role};
use salesplan::rollup::{AmountColumn, CreditColumns, RollupError, SumOptions, sum_credit_columns};
use salesplan::{Currency, Execution, IdProblem, Period, PositionId};

/// `None`: the "no manager" marker of these tables.
pub(crate) const TOP: i64 = -1;

pub(crate) fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()
}

fn role(code: u8) -> Role {
    match code % 3 {
        0 => Role::SalesRep,
        1 => Role::TeamLead,
        _ => Role::Director,
    }
}

/// The same rows through the builder, one position and one line each.
fn builder_org(ids: &[i64], parents: &[i64], roles: &[Role]) -> Result<Org, OrgError> {
    let id = |n: i64| PositionId::try_from(n);
    let mut positions = Vec::new();
    let mut lines = Vec::new();
    let always = DateRange::starting(NaiveDate::MIN);
    for ((&i, &p), r) in ids.iter().zip(parents).zip(roles) {
        let me = id(i).map_err(|source| OrgError::InvalidId {
            column: "ids",
            row: 0,
            source,
        })?;
        positions.push(Position::new(me.clone(), r.clone()));
        lines.push(if p == TOP {
            ReportingLine::top(me, always)
        } else {
            ReportingLine::new(me, id(p).unwrap(), always)
        });
    }
    Org::builder().positions(positions).lines(lines).build()
}

/// A tree (each row's parent an earlier row), then one change that may
/// break it: a repeated id, an unknown parent, a position its own parent,
/// a second root, a cycle.
pub(crate) fn org_rows() -> impl Strategy<Value = (Vec<i64>, Vec<i64>, Vec<Role>)> {
    (1usize..40)
        .prop_flat_map(|n| {
            (
                prop::collection::hash_set(0i64..5000, n),
                prop::collection::vec(any::<prop::sample::Index>(), n),
                prop::collection::vec(any::<u8>(), n),
                0u8..8,
                any::<prop::sample::Index>(),
            )
        })
        .prop_map(|(ids, picks, roles, change, at)| {
            let ids: Vec<i64> = ids.into_iter().collect();
            let n = ids.len();
            let mut parents: Vec<i64> = (0..n)
                .map(|i| if i == 0 { TOP } else { ids[picks[i].index(i)] })
                .collect();
            let mut ids = ids;
            let k = at.index(n);
            match change {
                1 if n > 1 => ids[k] = ids[(k + 1) % n],
                2 => parents[k] = 9999,
                3 => parents[k] = ids[k],
                4 if k > 0 => parents[k] = TOP,
                5 if n > 1 => parents[0] = ids[n - 1],
                _ => {}
            }
            (ids, parents, roles.into_iter().map(role).collect())
        })
}

proptest! {
    /// The columnar org is the builder's org: same positions and lines,
    /// same snapshot, same errors (naming the same ids), from integer
    /// and from text columns alike.
    #[test]
    fn columnar_org_equals_the_builders((ids, parents, roles) in org_rows()) {
        let expected = builder_org(&ids, &parents, &roles);
        let from_ints = OrgColumns::new(&ids, &parents, &TOP, &roles).build();
        let texts: Vec<String> = ids.iter().map(i64::to_string).collect();
        let text_parents: Vec<String> = parents.iter().map(i64::to_string).collect();
        let top = TOP.to_string();
        let from_texts = OrgColumns::new(&texts, &text_parents, &top, &roles).build();
        for got in [from_ints, from_texts] {
            match (&expected, got) {
                (Ok(want), Ok(got)) => {
                    prop_assert_eq!(got.to_builder(), want.to_builder());
                    match (want.as_of(day()), got.as_of(day())) {
                        (Ok(a), Ok(b)) => {
                            let order = |s: &salesplan::org::OrgSnapshot| {
                                s.nodes().map(|n| (n.id().clone(), n.depth())).collect::<Vec<_>>()
                            };
                            prop_assert_eq!(order(&a), order(&b));
                        }
                        (Err(a), Err(b)) => prop_assert_eq!(a, b),
                        (a, b) => prop_assert!(false, "{:?} vs {:?}", a.err(), b.err()),
                    }
                }
                (Err(want), Err(got)) => prop_assert_eq!(want, &got),
                (want, got) => prop_assert!(false, "{:?} vs {:?}", want, got),
            }
        }
    }

    /// Resolving a column in one call gives what looking each id up
    /// gives, whatever the form of the ids; the first unknown id is named
    /// with its row.
    #[test]
    fn batched_resolution_equals_per_id_lookup(
        (ids, parents, roles) in org_rows(),
        queries in prop::collection::vec(0u64..5000, 0..60),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..60),
    ) {
        let Ok(org) = OrgColumns::new(&ids, &parents, &TOP, &roles).build() else { return Ok(()) };
        let Ok(snapshot) = org.as_of(day()) else { return Ok(()) };
        // Mostly ids of the org, some others.
        let queries: Vec<u64> = queries
            .iter()
            .zip(&picks)
            .map(|(q, p)| if q % 4 == 0 { *q } else { u64::try_from(ids[p.index(ids.len())]).unwrap() })
            .collect();
        let one_by_one: Vec<_> = queries
            .iter()
            .map(|q| snapshot.node(&PositionId::from(*q)).map(|n| n.index()))
            .collect();
        let as_text: Vec<String> = queries.iter().map(u64::to_string).collect();
        for got in [snapshot.resolve(&queries), snapshot.resolve(&as_text)] {
            match one_by_one.iter().position(Option::is_none) {
                None => prop_assert_eq!(got.unwrap(), one_by_one.iter().flatten().copied().collect::<Vec<_>>()),
                Some(row) => prop_assert_eq!(
                    got.unwrap_err(),
                    OrgError::UnknownId { id: queries[row].to_string(), row, date: day() }
                ),
            }
        }
        for (q, want) in queries.iter().zip(&one_by_one) {
            prop_assert_eq!(snapshot.key(q), *want);
        }
    }

    /// The roll-up from columns is the naive subtree sum: every credit in
    /// the period added to its position and every position above it;
    /// sequential, parallel, minor units and decimals alike.
    #[test]
    fn columnar_rollup_equals_naive_subtree_sum(
        (ids, parents, roles) in org_rows(),
        credits in prop::collection::vec((any::<prop::sample::Index>(), -100_000i64..100_000, 20_000i32..20_200), 0..300),
    ) {
        let Ok(org) = OrgColumns::new(&ids, &parents, &TOP, &roles).build() else { return Ok(()) };
        let Ok(snapshot) = org.as_of(day()) else { return Ok(()) };
        let reps: Vec<i64> = credits.iter().map(|c| ids[c.0.index(ids.len())]).collect();
        let cents: Vec<i64> = credits.iter().map(|c| c.1).collect();
        let days: Vec<i32> = credits.iter().map(|c| c.2).collect();
        let decimals: Vec<Decimal> = cents.iter().map(|c| Decimal::new(*c, 2)).collect();
        let period = Period::new(NaiveDate::from_ymd_opt(2024, 10, 5).unwrap(), NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).unwrap();
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let number = |d: NaiveDate| i32::try_from((d - epoch).num_days()).unwrap();
        let (lo, hi) = (number(period.start()), number(period.end()));
        let parent_of = |id: i64| parents[ids.iter().position(|x| *x == id).unwrap()];
        let mut naive = std::collections::HashMap::<i64, i128>::new();
        for ((rep, c), d) in reps.iter().zip(&cents).zip(&days) {
            if (lo..hi).contains(d) {
                let mut at = *rep;
                loop {
                    *naive.entry(at).or_default() += i128::from(*c);
                    at = parent_of(at);
                    if at == TOP { break; }
                }
            }
        }
        for execution in [Execution::Sequential, Execution::Parallel] {
            let options = SumOptions::new(Currency::USD).period(period).execution(execution);
            for amounts in [AmountColumn::Minor(&cents), AmountColumn::Decimal(&decimals)] {
                let totals = sum_credit_columns(&snapshot, CreditColumns::new(&reps, amounts).days(&days), options).unwrap();
                for node in snapshot.nodes() {
                    let id = i64::try_from(node.id().as_u64().unwrap()).unwrap();
                    prop_assert_eq!(totals.subtree_minor(node.index()), Some(naive.get(&id).copied().unwrap_or(0)));
                }
            }
        }
    }
}

#[test]
fn integer_and_text_ids_are_one_id() {
    assert_eq!(PositionId::from(42_u64), PositionId::new("42").unwrap());
    assert_eq!(PositionId::try_from(42_i64).unwrap().as_u64(), Some(42));
    assert_eq!(PositionId::new("042").unwrap().as_u64(), None);
    assert_eq!(
        PositionId::try_from(-1_i64).unwrap_err().problem,
        IdProblem::Negative
    );
}

/// Every bad table is refused with the error the builder gives, naming
/// the ids (and, for a column, the row).
#[test]
fn bad_org_columns_are_named() {
    let roles = [Role::Director, Role::SalesRep, Role::SalesRep];
    let build = |ids: [i64; 3], parents: [i64; 3]| {
        OrgColumns::new(&ids, &parents, &TOP, &roles)
            .build()
            .and_then(|o| o.as_of(day()).map(|_| ()))
    };
    let pos = |n: u64| PositionId::from(n);
    assert_eq!(
        build([1, 2, 2], [TOP, 1, 1]),
        Err(OrgError::DuplicatePosition { position: pos(2) })
    );
    assert_eq!(
        build([1, 2, 3], [TOP, 1, 7]),
        Err(OrgError::UnknownParent {
            position: pos(3),
            parent: pos(7)
        })
    );
    assert_eq!(
        build([1, 2, 3], [TOP, 2, 1]),
        Err(OrgError::SelfParent { position: pos(2) })
    );
    assert_eq!(
        build([1, 2, 3], [TOP, TOP, 1]),
        Err(OrgError::SeveralRoots {
            date: day(),
            roots: vec![pos(1), pos(2)]
        })
    );
    assert!(matches!(
        build([1, 2, 3], [TOP, 3, 2]),
        Err(OrgError::Cycle { .. })
    ));
    assert!(matches!(
        build([1, -5, 3], [TOP, 1, 1]),
        Err(OrgError::InvalidId {
            column: "ids",
            row: 1,
            ..
        })
    ));
    assert!(matches!(
        build([1, 2, 3], [TOP, 1, -7]),
        Err(OrgError::InvalidId {
            column: "parents",
            row: 2,
            ..
        })
    ));
    let short = [TOP, 1];
    assert_eq!(
        OrgColumns::new(&[1_i64, 2, 3], &short, &TOP, &roles)
            .build()
            .unwrap_err(),
        OrgError::ColumnLength {
            column: "parents",
            expected: 3,
            found: 2
        }
    );
}

#[test]
fn bad_credit_columns_are_named() {
    let roles = [Role::Director, Role::SalesRep];
    let org = OrgColumns::new(&[10_u64, 11], &[0, 10], &0, &roles)
        .build()
        .unwrap();
    let snapshot = org.as_of(day()).unwrap();
    let options = SumOptions::new(Currency::USD);
    let sum = |reps: &[u64], cents: &[i64]| {
        sum_credit_columns(
            &snapshot,
            CreditColumns::new(reps, AmountColumn::Minor(cents)),
            options,
        )
        .map(|t| t.subtree_minor(snapshot.root()))
    };
    assert_eq!(sum(&[11, 10, 11], &[5, 6, 7]), Ok(Some(18)));
    assert_eq!(
        sum(&[11, 12, 13], &[5, 6, 7]),
        Err(RollupError::UnknownId {
            id: "12".into(),
            row: 1,
            date: day()
        })
    );
    assert_eq!(
        sum(&[11], &[5, 6]),
        Err(RollupError::ColumnLength {
            column: "amounts",
            expected: 1,
            found: 2
        })
    );
    assert_eq!(
        sum_credit_columns(
            &snapshot,
            CreditColumns::new(&[11_u64], AmountColumn::Minor(&[1])),
            options.period(Period::year(2025).unwrap())
        )
        .err(),
        Some(RollupError::MissingDays)
    );
    // Past i64 in one position, still exact: the sums are i128.
    assert_eq!(
        sum(&[11, 11], &[i64::MAX, i64::MAX]),
        Ok(Some(2 * i128::from(i64::MAX)))
    );
    let fraction = [Decimal::new(1, 3)];
    assert!(matches!(
        sum_credit_columns(
            &snapshot,
            CreditColumns::new(&[11_u64], AmountColumn::Decimal(&fraction)),
            options
        ),
        Err(RollupError::Amount { .. })
    ));
    // Text ids that are not integers take the batched path.
    let org = OrgColumns::new(&["ceo", "ana"], &["", "ceo"], &"", &roles)
        .build()
        .unwrap();
    let snapshot = org.as_of(day()).unwrap();
    let totals = sum_credit_columns(
        &snapshot,
        CreditColumns::new(&["ana", "ceo"], AmountColumn::Minor(&[3, 4])),
        options,
    )
    .unwrap();
    assert_eq!(totals.subtree_minor(snapshot.root()), Some(7));
    let att = totals.attainments_minor(&[14, 0]).unwrap();
    assert_eq!(att[0].to_string(), "50%");
}
