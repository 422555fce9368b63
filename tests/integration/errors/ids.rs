//! Ids: every kind rejects the same bad text and names itself.

use salesplan::ids::MAX_ID_LEN;
use salesplan::{
    AccountId, IdError, IdProblem, PersonId, PlanId, PositionId, TerritoryId, TransactionId, UnitId,
};

#[test]
fn bad_ids_are_rejected_naming_kind_text_and_problem() {
    let long = "x".repeat(MAX_ID_LEN + 1);
    let cases: &[(&str, IdProblem)] = &[
        ("", IdProblem::Empty),
        (" ", IdProblem::Blank),
        ("\t\n", IdProblem::Blank),
        (" E1", IdProblem::SurroundingWhitespace),
        ("E1 ", IdProblem::SurroundingWhitespace),
        ("E\u{0}1", IdProblem::ControlCharacter),
        (&long, IdProblem::TooLong { max: MAX_ID_LEN }),
    ];
    for (text, problem) in cases {
        // IdError is non-exhaustive: compare field by field.
        let check = |got: IdError, kind: &'static str| {
            assert_eq!(
                (got.kind, got.value.as_str(), got.problem),
                (kind, *text, *problem)
            );
        };
        check(PersonId::new(text).unwrap_err(), "person");
        check(PositionId::new(text).unwrap_err(), "position");
        check(UnitId::new(text).unwrap_err(), "unit");
        check(TerritoryId::new(text).unwrap_err(), "territory");
        check(AccountId::new(text).unwrap_err(), "account");
        check(PlanId::new(text).unwrap_err(), "plan");
        check(TransactionId::new(text).unwrap_err(), "transaction");
        check(text.parse::<PersonId>().unwrap_err(), "person");
        check(
            PersonId::try_from((*text).to_owned()).unwrap_err(),
            "person",
        );
    }
}

#[test]
fn inner_spaces_and_unicode_are_fine() {
    for ok in ["E 1", "Åsa", "10000007", &"y".repeat(MAX_ID_LEN)] {
        assert_eq!(PersonId::new(ok).unwrap().as_str(), ok);
    }
}
