//! Compile-time trait assertions: every public type is thread-safe, and data
//! types serialize.

use salesplan::calendar::{FiscalCalendar, Proration, ProrationBasis, WorkCalendar};
use salesplan::money::{FxQuote, RateTable};
use salesplan::*;

const fn assert_thread_safe<T: Send + Sync + Unpin + std::fmt::Debug>() {}

#[cfg(feature = "serde")]
const fn assert_serde<T: serde::Serialize + serde::de::DeserializeOwned>() {}

macro_rules! check_all {
    ($($ty:ty),* $(,)?) => {
        const _: () = {
            $(assert_thread_safe::<$ty>();)*
        };
        #[cfg(feature = "serde")]
        const _: () = {
            $(assert_serde::<$ty>();)*
        };
    };
}

check_all!(
    Money,
    Currency,
    Percent,
    Rate,
    RoundingPolicy,
    RateTable,
    FxQuote,
    Period,
    FiscalCalendar,
    WorkCalendar,
    Proration,
    ProrationBasis,
    PersonId,
    PositionId,
    UnitId,
    TerritoryId,
    AccountId,
    PlanId,
    TransactionId,
    RoleId,
    ProductId,
    ProductGroupId,
    credit::Transaction,
    credit::CreditPlan,
    credit::CreditLine,
    credit::CreditRun,
    comp::ComponentName,
    comp::Statement,
    territory::CoverageShare,
);

const _: () = {
    assert_thread_safe::<credit::CreditTotals>();
    assert_thread_safe::<CreditError>();
};

const _: () = {
    assert_thread_safe::<Error>();
    assert_thread_safe::<MoneyError>();
    assert_thread_safe::<CalendarError>();
    assert_thread_safe::<IdError>();
};

#[test]
fn errors_are_std_errors() {
    fn is_error<E: std::error::Error + Send + Sync + 'static>() {}
    is_error::<Error>();
    is_error::<MoneyError>();
    is_error::<CalendarError>();
    is_error::<IdError>();
    is_error::<CreditError>();
}

/// Issue #27, defect 8: saturating arithmetic turns a broken invariant into
/// a silently wrong number. Library code uses checked arithmetic with typed
/// errors; the only `saturating_*` and `unwrap_or(0)` left are index
/// arithmetic whose bound is proven, each with a `// bound:` comment on its
/// line or in the statement's lines above it. A new one without that
/// comment fails here, so it is seen in review.
#[test]
fn every_saturating_operation_in_the_library_says_why_it_cannot_saturate() {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut paths,
    );
    paths.sort();
    let mut unexplained = Vec::new();
    let mut explained = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        // Unit tests at the end of a file may saturate freely.
        let library = text.split("#[cfg(test)]\nmod ").next().unwrap_or(&text);
        let lines: Vec<&str> = library.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if !code.contains("saturating_") && !code.contains("unwrap_or(0)") {
                continue;
            }
            // This line, or the lines above it back to the end of the
            // previous statement (at most eight), carry the proof.
            let mut proven = line.contains("// bound:");
            for above in lines[..i].iter().rev().take(8) {
                let t = above.trim();
                if t.contains("// bound:") {
                    proven = true;
                    break;
                }
                let ends_statement = t.ends_with(';') || t.ends_with('}') || t.ends_with('{');
                if ends_statement && !t.starts_with("//") {
                    break;
                }
            }
            if proven {
                explained += 1;
            } else {
                let file = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
                unexplained.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "{} saturating operations without a `// bound:` comment ({explained} with one):\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
}

/// Data flows one way (issue #28): money and calendar at the bottom; org
/// and territory; the roll-up engine; quota, activity and credit; comp and
/// perf; bonus on top. A module's code (comments aside) names only modules
/// on a lower floor, so the import graph has no circle and nothing at the
/// bottom reaches a domain type. Each area's error lives in the area; the
/// `error` module only gathers them, and only the crate root uses it.
#[test]
fn modules_import_only_from_lower_floors() {
    const FLOORS: &[(&str, u32)] = &[
        ("ids", 0),
        ("list", 0),
        ("kernel", 0),
        ("execution", 0),
        ("validated", 0),
        ("money", 1),
        ("calendar", 2),
        ("allocation", 2),
        ("org", 3),
        ("territory", 3),
        ("rollup", 4),
        ("quota", 5),
        ("activity", 5),
        ("credit", 5),
        ("comp", 6),
        ("perf", 6),
        ("pipeline", 6),
        ("bonus", 7),
        ("arrow", 8),
        ("testing", 8),
        ("error", 9),
    ];
    let floor = |m: &str| FLOORS.iter().find(|(n, _)| *n == m).map(|(_, f)| *f);
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (module, own) in FLOORS {
        let file = src.join(format!("{module}.rs"));
        let mut paths = Vec::new();
        if file.exists() {
            paths.push(file);
        } else {
            for entry in std::fs::read_dir(src.join(module)).unwrap() {
                paths.push(entry.unwrap().path());
            }
        }
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for part in code.split("crate::").skip(1) {
                    let name: String = part
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let Some(theirs) = floor(&name) else { continue };
                    if name != *module && theirs >= *own {
                        wrong.push(format!(
                            "{}:{}: {module} uses {name}",
                            path.display(),
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that reach up or sideways:\n{}",
        wrong.join("\n")
    );
}
