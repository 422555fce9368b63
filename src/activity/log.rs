//! Logged activity: entries, weekly tallies, the weekly review, the
//! weighted score, funnel ratios and the time log.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{ActivityKind, Cadence, ProratedTarget, Ratio, TargetPlan};
use crate::activity::ActivityError;
use crate::calendar::{Period, WorkCalendar};
use crate::ids::PersonId;
use crate::money::MoneyError;
use crate::org::Role;

fn overflow(what: &'static str) -> impl Fn(MoneyError) -> ActivityError {
    move |_| ActivityError::Overflow { what }
}

/// One logged activity: who, what, when, how many (or how many minutes).
///
/// In JSON, `{"person": .., "kind": .., "date": "YYYY-MM-DD", "quantity":
/// ..}`, the quantity checked as by [`ActivityEntry::new`] (zero or more,
/// within `u32`):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::activity::{ActivityEntry, ActivityKind};
/// let log: Vec<ActivityEntry> = serde_json::from_str(r#"[
///     {"person": "ana", "kind": "cold_call", "date": "2025-04-07", "quantity": 30},
///     {"person": "ana", "kind": "meeting", "date": "2025-04-08", "quantity": 2}
/// ]"#)?;
/// assert_eq!((log[1].kind(), log[1].quantity()), (&ActivityKind::Meeting, 2));
/// // An unknown field is refused, naming it; so is a negative quantity.
/// let err = serde_json::from_str::<ActivityEntry>(
///     r#"{"person": "ana", "kind": "call", "date": "2025-04-07", "quantity": 3, "note": "x"}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `note`"));
/// let err = serde_json::from_str::<ActivityEntry>(
///     r#"{"person": "ana", "kind": "call", "date": "2025-04-07", "quantity": -3}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("quantities are zero or more"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawEntry"))]
pub struct ActivityEntry {
    person: PersonId,
    kind: ActivityKind,
    date: NaiveDate,
    quantity: u32,
}

crate::validated::via_raw! {
    RawEntry => ActivityEntry, ActivityError {
        person: PersonId,
        kind: ActivityKind,
        date: NaiveDate,
        quantity: i64,
    }
}

impl ActivityEntry {
    /// `quantity` of `kind` done by `person` on `date`. Zero is allowed (a
    /// log submitted with nothing in it).
    ///
    /// # Errors
    ///
    /// [`ActivityError::NegativeQuantity`] for a quantity below zero or
    /// beyond `u32`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::activity::{ActivityEntry, ActivityKind};
    /// use salesplan::{ActivityError, PersonId};
    ///
    /// let day = NaiveDate::from_ymd_opt(2025, 4, 8).unwrap();
    /// let calls = ActivityEntry::new(PersonId::new("ana")?, ActivityKind::ColdCall, day, 42)?;
    /// assert_eq!(calls.quantity(), 42);
    /// let err = ActivityEntry::new(PersonId::new("ana")?, ActivityKind::ColdCall, day, -1).unwrap_err();
    /// assert!(matches!(err, ActivityError::NegativeQuantity { quantity: -1, .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        person: PersonId,
        kind: ActivityKind,
        date: NaiveDate,
        quantity: i64,
    ) -> Result<ActivityEntry, ActivityError> {
        match u32::try_from(quantity) {
            Ok(q) => Ok(ActivityEntry {
                person,
                kind,
                date,
                quantity: q,
            }),
            Err(_) => Err(ActivityError::NegativeQuantity {
                person,
                kind,
                date,
                quantity,
            }),
        }
    }

    /// Who.
    pub const fn person(&self) -> &PersonId {
        &self.person
    }

    /// What.
    pub const fn kind(&self) -> &ActivityKind {
        &self.kind
    }

    /// When.
    pub const fn date(&self) -> NaiveDate {
        self.date
    }

    /// How many (or how many minutes).
    pub const fn quantity(&self) -> u32 {
        self.quantity
    }
}

/// Logged activity of one person, one kind and one ISO week, summed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct WeeklyTally {
    /// Who.
    pub person: PersonId,
    /// The ISO week.
    pub week: Period,
    /// What.
    pub kind: ActivityKind,
    /// The sum of the week's entries.
    pub quantity: u64,
}

/// Sums raw entries per person, ISO week and kind, sorted by person, week
/// and kind.
///
/// # Errors
///
/// [`ActivityError::Calendar`] at the edges of `chrono`'s range;
/// [`ActivityError::Overflow`] for a sum beyond `u64`.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::activity::{aggregate, ActivityEntry, ActivityKind};
/// use salesplan::PersonId;
///
/// let ana = PersonId::new("ana")?;
/// let d = |day| NaiveDate::from_ymd_opt(2025, 4, day).unwrap();
/// let log = [
///     ActivityEntry::new(ana.clone(), ActivityKind::ColdCall, d(14), 30)?,
///     ActivityEntry::new(ana.clone(), ActivityKind::ColdCall, d(16), 50)?,
///     ActivityEntry::new(ana.clone(), ActivityKind::ColdCall, d(22), 10)?,
/// ];
/// let weeks = aggregate(&log)?;
/// assert_eq!(weeks.iter().map(|w| w.quantity).collect::<Vec<_>>(), [80, 10]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn aggregate<'a>(
    entries: impl IntoIterator<Item = &'a ActivityEntry>,
) -> Result<Vec<WeeklyTally>, ActivityError> {
    let mut sums: BTreeMap<(PersonId, Period, ActivityKind), u64> = BTreeMap::new();
    for e in entries {
        let week = Cadence::Week
            .period_of(e.date)
            .map_err(|source| ActivityError::Calendar { source })?;
        let slot = sums
            .entry((e.person.clone(), week, e.kind.clone()))
            .or_insert(0);
        *slot = slot
            .checked_add(u64::from(e.quantity))
            .ok_or(ActivityError::Overflow { what: "tally" })?;
    }
    Ok(sums
        .into_iter()
        .map(|((person, week, kind), quantity)| WeeklyTally {
            person,
            week,
            kind,
            quantity,
        })
        .collect())
}

/// How much each kind counts in the weighted activity score.
///
/// The score of a person over a period is the weighted mean of their
/// attainment per kind, `Σ w·(actual/target) / Σ w`, over the kinds that
/// have both a weight above zero and a target above zero. Attainment is not
/// capped, so 150% of calls can make up for 50% of meetings at equal
/// weights; weight meetings higher to stop that.
///
/// The score is worked out as one fraction over the targets' least common
/// multiple `L`: `Σ w·actual·(L/target) / (L·Σ w)`, one division at the
/// end, so exact inputs give an exact score. (Should that common
/// denominator not fit a `Decimal`, each kind's term is divided once,
/// `w·actual / (target·Σ w)`, and the terms added.)
///
/// In JSON, `{"default": "1", "weights": [[kind, "3"], ..]}`: `default` is
/// the weight of every kind not listed (1 when left out, `"0"` to count
/// only the listed kinds), `weights` the listed kinds (none when left
/// out). Weights are decimal strings, zero or more; a kind listed twice is
/// refused ([`ActivityError::DuplicateWeight`]):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use rust_decimal::Decimal;
/// use salesplan::activity::{ActivityKind, ScoreWeights};
/// let w: ScoreWeights = serde_json::from_str(r#"{"weights": [["meeting", "3"]]}"#)?;
/// assert_eq!(w.weight(&ActivityKind::Meeting), Decimal::from(3));
/// assert_eq!(w.weight(&ActivityKind::Call), Decimal::ONE);
/// // An unknown field is refused, naming it; so is a negative weight.
/// let err = serde_json::from_str::<ScoreWeights>(r#"{"defualt": "0"}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `defualt`"));
/// let err = serde_json::from_str::<ScoreWeights>(r#"{"weights": [["demo", "-1"]]}"#).unwrap_err();
/// assert!(err.to_string().contains("is negative"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawWeights"))]
pub struct ScoreWeights {
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    default: Decimal,
    weights: Vec<(ActivityKind, Weight)>,
}

/// A weight as a string on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
struct Weight(#[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))] Decimal);

#[cfg(feature = "serde")]
const fn one() -> Decimal {
    Decimal::ONE
}

crate::validated::via_raw! {
    RawWeights => ScoreWeights, ActivityError {
        #[serde(default = "one", with = "crate::money::dec")]
        default: Decimal,
        #[serde(default)]
        weights: Vec<(ActivityKind, Weight)>,
    } => {
        if default.is_sign_negative() && !default.is_zero() {
            return Err(ActivityError::NegativeWeight {
                kind: None,
                weight: default,
            });
        }
        let mut w = ScoreWeights {
            default,
            weights: Vec::with_capacity(weights.len()),
        };
        for (k, Weight(x)) in weights {
            if let Some((_, Weight(first))) = w.weights.iter().find(|(seen, _)| *seen == k) {
                return Err(ActivityError::DuplicateWeight {
                    kind: k,
                    first: *first,
                    second: x,
                });
            }
            w = w.with(k, x)?;
        }
        Ok(w)
    }
}

impl Default for ScoreWeights {
    fn default() -> ScoreWeights {
        ScoreWeights::equal()
    }
}

impl ScoreWeights {
    /// Every kind weighs 1.
    pub fn equal() -> ScoreWeights {
        ScoreWeights {
            default: Decimal::ONE,
            weights: Vec::new(),
        }
    }

    /// Only the kinds given a weight with [`with`](Self::with) count.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::activity::{ActivityKind, ScoreWeights};
    ///
    /// let meetings_only = ScoreWeights::only().with(ActivityKind::Meeting, Decimal::ONE)?;
    /// assert_eq!(meetings_only.weight(&ActivityKind::Meeting), Decimal::ONE);
    /// assert_eq!(meetings_only.weight(&ActivityKind::ColdCall), Decimal::ZERO);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn only() -> ScoreWeights {
        ScoreWeights {
            default: Decimal::ZERO,
            weights: Vec::new(),
        }
    }

    /// `kind` weighs `weight`.
    ///
    /// # Errors
    ///
    /// [`ActivityError::NegativeWeight`] for a weight below zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::activity::{ActivityKind, ScoreWeights};
    /// use salesplan::ActivityError;
    ///
    /// let weights = ScoreWeights::equal().with(ActivityKind::Demo, Decimal::from(3))?;
    /// assert_eq!(weights.weight(&ActivityKind::Demo), Decimal::from(3));
    /// assert_eq!(weights.weight(&ActivityKind::Email), Decimal::ONE);
    /// let err = ScoreWeights::equal().with(ActivityKind::Email, Decimal::NEGATIVE_ONE).unwrap_err();
    /// assert!(matches!(err, ActivityError::NegativeWeight { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with(
        mut self,
        kind: ActivityKind,
        weight: Decimal,
    ) -> Result<ScoreWeights, ActivityError> {
        if weight.is_sign_negative() && !weight.is_zero() {
            return Err(ActivityError::NegativeWeight {
                kind: Some(kind),
                weight,
            });
        }
        self.weights.retain(|(k, _)| k != &kind);
        self.weights.push((kind, Weight(weight)));
        self.weights.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(self)
    }

    /// The weight of `kind`.
    pub fn weight(&self, kind: &ActivityKind) -> Decimal {
        self.weights
            .iter()
            .find(|(k, _)| k == kind)
            .map_or(self.default, |(_, Weight(w))| *w)
    }

    /// The weighted score of `(kind, actual, target)` lines (see the type's
    /// docs); [`Ratio::ZeroDenominator`] when no kind has both a weight and
    /// a target.
    ///
    /// # Errors
    ///
    /// [`ActivityError::Overflow`] beyond a `Decimal`.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::activity::{ActivityKind, ScoreWeights};
    ///
    /// let w = ScoreWeights::equal().with(ActivityKind::Meeting, Decimal::from(3))?;
    /// // 80% of calls, 120% of meetings: (1 × 0.8 + 3 × 1.2) / 4 = 1.1
    /// let score = w.score(&[(ActivityKind::ColdCall, 80, 100), (ActivityKind::Meeting, 6, 5)])?;
    /// assert_eq!(score.to_string(), "110%");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn score(&self, lines: &[(ActivityKind, u64, u64)]) -> Result<Ratio, ActivityError> {
        let counted: Vec<(Decimal, u64, u64)> = lines
            .iter()
            .map(|(kind, actual, target)| (self.weight(kind), *actual, *target))
            .filter(|(w, _, target)| !w.is_zero() && *target != 0)
            .collect();
        if let Some((weighted, denominator)) = common_fraction(&counted) {
            return Ratio::of(weighted, denominator).map_err(overflow("score"));
        }
        // The common denominator does not fit: each term divides once.
        let total = counted
            .iter()
            .try_fold(Decimal::ZERO, |t, (w, _, _)| crate::money::add(t, *w))
            .map_err(overflow("score"))?;
        let mut weighted = Decimal::ZERO;
        for (w, actual, target) in &counted {
            let part = crate::money::mul(*w, Decimal::from(*actual))
                .and_then(|num| {
                    let den = crate::money::mul(Decimal::from(*target), total)?;
                    crate::money::div(num, den)
                })
                .map_err(overflow("score"))?;
            weighted = crate::money::add(weighted, part).map_err(overflow("score"))?;
        }
        Ok(Ratio::Value(weighted))
    }
}

/// The score of `(weight, actual, target)` lines as one fraction: with
/// `L` the least common multiple of the targets, `Σ w·actual·(L/target)`
/// over `L·Σ w`. `None` when `L` or a product does not fit.
fn common_fraction(counted: &[(Decimal, u64, u64)]) -> Option<(Decimal, Decimal)> {
    let l = counted
        .iter()
        .try_fold(1u128, |l, (_, _, t)| lcm(l, u128::from(*t)))?;
    let integer = |n: u128| crate::money::integer(i128::try_from(n).ok()?).ok();
    let mut weighted = Decimal::ZERO;
    let mut total = Decimal::ZERO;
    for (w, actual, target) in counted {
        let times = integer(l.checked_div(u128::from(*target))?)?;
        let term = crate::money::mul(*w, Decimal::from(*actual))
            .and_then(|x| crate::money::mul(x, times))
            .ok()?;
        weighted = crate::money::add(weighted, term).ok()?;
        total = crate::money::add(total, *w).ok()?;
    }
    let denominator = crate::money::mul(total, integer(l)?).ok()?;
    Some((weighted, denominator))
}

/// The least common multiple of two positive numbers, if it fits.
fn lcm(a: u128, b: u128) -> Option<u128> {
    let (mut x, mut y) = (a, b);
    while y != 0 {
        (x, y) = (y, x.checked_rem(y)?);
    }
    a.checked_div(x)?.checked_mul(b)
}

/// Whether a person logged anything in the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum WeekStatus {
    /// At least one entry (possibly of quantity zero) dated in the week.
    Submitted,
    /// No entry at all: flagged, not read as zero activity.
    Missing,
}

/// One kind in a person's week.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct KindLine {
    /// The kind.
    pub kind: ActivityKind,
    /// The prorated target, if the person has one for this kind.
    pub target: Option<ProratedTarget>,
    /// What was logged; `None` when the week is [`WeekStatus::Missing`].
    pub actual: Option<u64>,
    /// `actual / target`; `None` when missing; a zero denominator for a
    /// kind without a target (or prorated to zero).
    pub attainment: Option<Ratio>,
}

/// One person's week against their activity targets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct PersonWeek {
    /// Who.
    pub person: PersonId,
    /// Their role (which targets apply).
    pub role: Role,
    /// The week reviewed.
    pub week: Period,
    /// Submitted or missing.
    pub status: WeekStatus,
    /// One line per kind with a target or with logged activity, by kind.
    pub lines: Vec<KindLine>,
    /// The weighted activity score; `None` when missing.
    pub score: Option<Ratio>,
}

impl fmt::Display for PersonWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}):", self.person, self.role)?;
        if self.status == WeekStatus::Missing {
            return write!(f, " NO LOG SUBMITTED");
        }
        for l in &self.lines {
            // A kind without a target shows a target of 0 (its attainment
            // is n/a); a submitted week has an actual on every line.
            let target = l.target.as_ref().map_or(0, ProratedTarget::quantity);
            match l.actual {
                Some(actual) => write!(f, " {} {actual}/{target}", l.kind)?,
                None => write!(f, " {} -/{target}", l.kind)?,
            }
            if let Some(a) = &l.attainment {
                write!(f, " ({a})")?;
            }
            write!(f, ";")?;
        }
        if let Some(s) = &self.score {
            write!(f, " score {s}")?;
        }
        Ok(())
    }
}

/// The calendar, absences and weights of a review.
///
/// In JSON, `{"work": calendar, "absences": [[person, period], ..],
/// "weights": score weights}`, every field optional: Monday to Friday
/// without holidays, no absences, equal weights:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::activity::ReviewOptions;
/// use salesplan::PersonId;
/// let options: ReviewOptions = serde_json::from_str(r#"{
///     "work": {"weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "holidays": ["2025-04-18"]},
///     "absences": [["ana", {"start": "2025-04-14", "end": "2025-04-16"}]]
/// }"#)?;
/// assert_eq!(options.absences_of(&PersonId::new("ana")?).len(), 1);
/// assert_eq!(serde_json::from_str::<ReviewOptions>("{}")?, ReviewOptions::new());
/// // An unknown field is refused, naming it.
/// let err = serde_json::from_str::<ReviewOptions>(r#"{"absence": []}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `absence`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ReviewOptions {
    #[cfg_attr(feature = "serde", serde(default))]
    work: WorkCalendar,
    #[cfg_attr(feature = "serde", serde(default))]
    absences: Vec<(PersonId, Period)>,
    #[cfg_attr(feature = "serde", serde(default))]
    weights: ScoreWeights,
}

impl ReviewOptions {
    /// Monday to Friday, no holidays, no absences, equal weights.
    pub fn new() -> ReviewOptions {
        ReviewOptions::default()
    }

    /// The working days and holidays.
    #[must_use]
    pub fn work_calendar(mut self, work: WorkCalendar) -> ReviewOptions {
        self.work = work;
        self
    }

    /// `person` is away during `period` (leave, sickness, training).
    ///
    /// # Examples
    ///
    /// A rep on leave for two days of the week has a prorated target:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::activity::{review, ActivityEntry, ActivityKind, ActivityTarget, Cadence, ReviewOptions, TargetPlan};
    /// use salesplan::org::Role;
    /// use salesplan::{Period, PersonId};
    ///
    /// let d = |day| NaiveDate::from_ymd_opt(2025, 4, day).unwrap();
    /// let ana = PersonId::new("ana")?;
    /// let plan = TargetPlan::new()
    ///     .role(Role::SalesRep, ActivityTarget::new(ActivityKind::Meeting, Cadence::Week, 10)?);
    /// let log = [ActivityEntry::new(ana.clone(), ActivityKind::Meeting, d(10), 6)?];
    /// let week = Period::new(d(7), d(14))?;
    /// let options = ReviewOptions::new().absence(ana.clone(), Period::new(d(7), d(9))?);
    /// let rows = review(&[(ana, Role::SalesRep)], &plan, &log, &week, &options)?;
    /// assert_eq!(rows[0].lines[0].target.as_ref().map(|t| t.quantity()), Some(6));
    /// assert_eq!(rows[0].lines[0].attainment.unwrap().to_string(), "100%");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn absence(mut self, person: PersonId, period: Period) -> ReviewOptions {
        self.absences.push((person, period));
        self.absences.sort();
        self
    }

    /// The score weights.
    #[must_use]
    pub fn weights(mut self, weights: ScoreWeights) -> ReviewOptions {
        self.weights = weights;
        self
    }

    /// The work calendar.
    pub const fn work(&self) -> &WorkCalendar {
        &self.work
    }

    /// `person`'s absences.
    pub fn absences_of(&self, person: &PersonId) -> Vec<Period> {
        self.absences
            .iter()
            .filter(|(p, _)| p == person)
            .map(|(_, a)| *a)
            .collect()
    }
}

/// The weekly review: for each of `people` (with their role), the week's
/// activity per kind against their prorated targets, the weighted score,
/// and whether they submitted a log at all. Rows are sorted by person;
/// entries outside `week` are ignored.
///
/// # Errors
///
/// [`ActivityError::UnknownPerson`] for an entry (in any week) of a person
/// not in `people`; [`ActivityError::Calendar`];
/// [`ActivityError::Overflow`].
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::activity::{
///     review, ActivityEntry, ActivityKind, ActivityTarget, Cadence, ReviewOptions, TargetPlan, WeekStatus,
/// };
/// use salesplan::org::Role;
/// use salesplan::{Period, PersonId};
///
/// let d = |day| NaiveDate::from_ymd_opt(2025, 4, day).unwrap();
/// let (ana, bo) = (PersonId::new("ana")?, PersonId::new("bo")?);
/// let plan = TargetPlan::new()
///     .role(Role::SalesRep, ActivityTarget::new(ActivityKind::ColdCall, Cadence::Week, 100)?)
///     .role(Role::SalesRep, ActivityTarget::new(ActivityKind::Meeting, Cadence::Week, 5)?);
/// let log = [
///     ActivityEntry::new(ana.clone(), ActivityKind::ColdCall, d(8), 80)?,
///     ActivityEntry::new(ana.clone(), ActivityKind::Meeting, d(9), 6)?,
/// ];
/// let week = Period::new(d(7), d(14))?;
/// let people = [(ana, Role::SalesRep), (bo, Role::SalesRep)];
/// let rows = review(&people, &plan, &log, &week, &ReviewOptions::new())?;
/// assert_eq!(rows[0].lines[0].attainment.unwrap().to_string(), "80%");
/// assert_eq!(rows[0].lines[1].attainment.unwrap().to_string(), "120%");
/// assert_eq!(rows[1].status, WeekStatus::Missing);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn review(
    people: &[(PersonId, Role)],
    plan: &TargetPlan,
    entries: &[ActivityEntry],
    week: &Period,
    options: &ReviewOptions,
) -> Result<Vec<PersonWeek>, ActivityError> {
    let mut sorted: Vec<&(PersonId, Role)> = people.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let logged = tally(&sorted, entries, week)?;
    let mut out = Vec::with_capacity(sorted.len());
    for (person, role) in sorted {
        let absences = options.absences_of(person);
        let mine = logged.get(person);
        let status = if mine.is_some() {
            WeekStatus::Submitted
        } else {
            WeekStatus::Missing
        };
        let mut lines: Vec<KindLine> = Vec::new();
        for t in plan.targets(role, person) {
            let target = t.over(week, &options.work, &absences)?;
            lines.push(KindLine {
                kind: t.kind().clone(),
                target: Some(target),
                actual: None,
                attainment: None,
            });
        }
        let score = match mine {
            Some(mine) => Some(score_week(&mut lines, mine, &options.weights)?),
            None => None,
        };
        lines.sort_by(|a, b| a.kind.cmp(&b.kind));
        out.push(PersonWeek {
            person: person.clone(),
            role: role.clone(),
            week: *week,
            status,
            lines,
            score,
        });
    }
    Ok(out)
}

/// Each person's quantity of each kind in `week`, refusing an entry (in
/// any week) of a person not in `people` (sorted by person).
fn tally<'e>(
    people: &[&(PersonId, Role)],
    entries: &'e [ActivityEntry],
    week: &Period,
) -> Result<BTreeMap<&'e PersonId, BTreeMap<&'e ActivityKind, u64>>, ActivityError> {
    let mut logged: BTreeMap<&PersonId, BTreeMap<&ActivityKind, u64>> = BTreeMap::new();
    for e in entries {
        if people.binary_search_by(|p| p.0.cmp(&e.person)).is_err() {
            return Err(ActivityError::UnknownPerson {
                person: e.person.clone(),
                date: e.date,
            });
        }
        if !week.contains(e.date) {
            continue;
        }
        let slot = logged
            .entry(&e.person)
            .or_default()
            .entry(&e.kind)
            .or_insert(0);
        *slot = slot
            .checked_add(u64::from(e.quantity))
            .ok_or(ActivityError::Overflow { what: "tally" })?;
    }
    Ok(logged)
}

/// Puts a submitted week's quantities (`mine`) on the target `lines`
/// (adding lines for kinds without a target), with each line's
/// attainment; the week's weighted score.
fn score_week(
    lines: &mut Vec<KindLine>,
    mine: &BTreeMap<&ActivityKind, u64>,
    weights: &ScoreWeights,
) -> Result<Ratio, ActivityError> {
    for (kind, qty) in mine {
        match lines.iter_mut().find(|l| &&l.kind == kind) {
            Some(l) => l.actual = Some(*qty),
            None => lines.push(KindLine {
                kind: (*kind).clone(),
                target: None,
                actual: Some(*qty),
                attainment: None,
            }),
        }
    }
    lines.sort_by(|a, b| a.kind.cmp(&b.kind));
    let mut triples: Vec<(ActivityKind, u64, u64)> = Vec::with_capacity(lines.len());
    for l in lines.iter_mut() {
        // A submitted week counts a targeted kind without entries as none
        // done; a kind without a target has a zero denominator (its
        // attainment is n/a).
        let actual = *l.actual.get_or_insert(0);
        let target = l.target.as_ref().map_or(0, ProratedTarget::quantity);
        l.attainment = Some(Ratio::of_counts(actual, target).map_err(overflow("attainment"))?);
        triples.push((l.kind.clone(), actual, target));
    }
    weights.score(&triples)
}

/// Counts along the sales funnel: calls, appointments, opportunities, wins.
///
/// In JSON all four counts are required (a count left out is not read as
/// zero):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::activity::FunnelCounts;
/// let f: FunnelCounts =
///     serde_json::from_str(r#"{"calls": 200, "appointments": 10, "opportunities": 4, "wins": 1}"#)?;
/// assert_eq!(f.ratios()?.opportunity_to_win.to_string(), "25%");
/// // An unknown field is refused, naming it; so is a missing count.
/// let err = serde_json::from_str::<FunnelCounts>(
///     r#"{"calls": 200, "appointments": 10, "opportunities": 4, "win": 1}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `win`"));
/// assert!(serde_json::from_str::<FunnelCounts>(r#"{"calls": 200}"#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct FunnelCounts {
    /// Calls made (cold and other).
    pub calls: u64,
    /// Appointments (meetings) held.
    pub appointments: u64,
    /// Opportunities opened.
    pub opportunities: u64,
    /// Deals won.
    pub wins: u64,
}

/// Conversion between the funnel's stages; a stage with nothing in it
/// gives [`Ratio::ZeroDenominator`] for the next conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct FunnelRatios {
    /// Appointments per call.
    pub call_to_appointment: Ratio,
    /// Opportunities per appointment.
    pub appointment_to_opportunity: Ratio,
    /// Wins per opportunity.
    pub opportunity_to_win: Ratio,
    /// Wins per call, end to end.
    pub call_to_win: Ratio,
}

impl FunnelCounts {
    /// The sum of two people's counts (a team's funnel is its members').
    ///
    /// # Errors
    ///
    /// [`ActivityError::Overflow`] beyond `u64`.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::activity::FunnelCounts;
    ///
    /// let ana = FunnelCounts { calls: 120, appointments: 8, opportunities: 3, wins: 1 };
    /// let bo = FunnelCounts { calls: 80, appointments: 2, opportunities: 1, wins: 1 };
    /// let team = ana.checked_add(bo)?;
    /// assert_eq!(team, FunnelCounts { calls: 200, appointments: 10, opportunities: 4, wins: 2 });
    /// assert_eq!(team.ratios()?.opportunity_to_win.to_string(), "50%");
    /// # Ok::<(), salesplan::ActivityError>(())
    /// ```
    pub fn checked_add(self, other: FunnelCounts) -> Result<FunnelCounts, ActivityError> {
        let add = |a: u64, b: u64| {
            a.checked_add(b)
                .ok_or(ActivityError::Overflow { what: "funnel" })
        };
        Ok(FunnelCounts {
            calls: add(self.calls, other.calls)?,
            appointments: add(self.appointments, other.appointments)?,
            opportunities: add(self.opportunities, other.opportunities)?,
            wins: add(self.wins, other.wins)?,
        })
    }

    /// The conversion ratios.
    ///
    /// # Errors
    ///
    /// [`ActivityError::Overflow`] (not reachable with `u64` counts, kept
    /// for a checked path).
    ///
    /// ```
    /// use salesplan::activity::FunnelCounts;
    /// let f = FunnelCounts { calls: 200, appointments: 10, opportunities: 4, wins: 0 };
    /// let r = f.ratios()?;
    /// assert_eq!(r.call_to_appointment.to_string(), "5%");
    /// assert_eq!(r.opportunity_to_win.to_string(), "0%");
    /// let empty = FunnelCounts::default().ratios()?;
    /// assert_eq!(empty.call_to_win.value(), None);
    /// # Ok::<(), salesplan::ActivityError>(())
    /// ```
    pub fn ratios(&self) -> Result<FunnelRatios, ActivityError> {
        let r = |a, b| Ratio::of_counts(a, b).map_err(overflow("funnel"));
        Ok(FunnelRatios {
            call_to_appointment: r(self.appointments, self.calls)?,
            appointment_to_opportunity: r(self.opportunities, self.appointments)?,
            opportunity_to_win: r(self.wins, self.opportunities)?,
            call_to_win: r(self.wins, self.calls)?,
        })
    }
}

/// What time in the time log was spent on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TaskCategory {
    /// Selling: calls, meetings with customers, proposals.
    Selling,
    /// Coaching the team.
    Coaching,
    /// Administration.
    Administration,
    /// Reporting.
    Reporting,
    /// Internal meetings.
    Meetings,
    /// Travel.
    Travel,
}

impl TaskCategory {
    /// Every category, in order.
    pub const ALL: [TaskCategory; 6] = [
        TaskCategory::Selling,
        TaskCategory::Coaching,
        TaskCategory::Administration,
        TaskCategory::Reporting,
        TaskCategory::Meetings,
        TaskCategory::Travel,
    ];
}

impl fmt::Display for TaskCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TaskCategory::Selling => "selling",
            TaskCategory::Coaching => "coaching",
            TaskCategory::Administration => "administration",
            TaskCategory::Reporting => "reporting",
            TaskCategory::Meetings => "meetings",
            TaskCategory::Travel => "travel",
        })
    }
}

/// Minutes spent by a person on a task category on a date.
///
/// In JSON, `{"person": .., "category": .., "date": "YYYY-MM-DD",
/// "minutes": ..}`, the minutes checked as by [`TimeEntry::new`]:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::activity::{TaskCategory, TimeEntry};
/// let e: TimeEntry = serde_json::from_str(
///     r#"{"person": "mia", "category": "coaching", "date": "2025-04-08", "minutes": 90}"#,
/// )?;
/// assert_eq!((e.category(), e.minutes()), (TaskCategory::Coaching, 90));
/// // An unknown field is refused, naming it; so are negative minutes.
/// let err = serde_json::from_str::<TimeEntry>(
///     r#"{"person": "mia", "category": "coaching", "date": "2025-04-08", "mins": 90}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `mins`"));
/// let err = serde_json::from_str::<TimeEntry>(
///     r#"{"person": "mia", "category": "travel", "date": "2025-04-08", "minutes": -5}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("minutes are zero or more"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawTime"))]
pub struct TimeEntry {
    person: PersonId,
    category: TaskCategory,
    date: NaiveDate,
    minutes: u32,
}

crate::validated::via_raw! {
    RawTime => TimeEntry, ActivityError {
        person: PersonId,
        category: TaskCategory,
        date: NaiveDate,
        minutes: i64,
    }
}

impl TimeEntry {
    /// `minutes` of `category` by `person` on `date`.
    ///
    /// # Errors
    ///
    /// [`ActivityError::NegativeMinutes`] below zero or beyond `u32`.
    pub fn new(
        person: PersonId,
        category: TaskCategory,
        date: NaiveDate,
        minutes: i64,
    ) -> Result<TimeEntry, ActivityError> {
        match u32::try_from(minutes) {
            Ok(m) => Ok(TimeEntry {
                person,
                category,
                date,
                minutes: m,
            }),
            Err(_) => Err(ActivityError::NegativeMinutes {
                person,
                date,
                minutes,
            }),
        }
    }

    /// Who.
    pub const fn person(&self) -> &PersonId {
        &self.person
    }

    /// On what.
    pub const fn category(&self) -> TaskCategory {
        self.category
    }

    /// When.
    pub const fn date(&self) -> NaiveDate {
        self.date
    }

    /// How long.
    pub const fn minutes(&self) -> u32 {
        self.minutes
    }
}

/// One category's minutes and share of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct TimeShare {
    /// The category.
    pub category: TaskCategory,
    /// Minutes logged.
    pub minutes: u64,
    /// `minutes / total`; a zero denominator when nothing was logged.
    pub share: Ratio,
}

/// How a person's logged time splits over the categories in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct TimeShares {
    /// Who.
    pub person: PersonId,
    /// The period.
    pub period: Period,
    /// All minutes logged in the period.
    pub total_minutes: u64,
    /// Every category, in [`TaskCategory::ALL`] order (zeros included).
    pub shares: Vec<TimeShare>,
}

/// `person`'s share of time per category over `period`, from the time log.
///
/// # Errors
///
/// [`ActivityError::Overflow`] beyond `u64`.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::activity::{time_shares, TaskCategory, TimeEntry};
/// use salesplan::{Period, PersonId};
///
/// let d = |day| NaiveDate::from_ymd_opt(2025, 4, day).unwrap();
/// let mia = PersonId::new("mia")?;
/// let log = [
///     TimeEntry::new(mia.clone(), TaskCategory::Administration, d(7), 600)?,
///     TimeEntry::new(mia.clone(), TaskCategory::Coaching, d(8), 300)?,
///     TimeEntry::new(mia.clone(), TaskCategory::Selling, d(9), 300)?,
/// ];
/// let week = Period::new(d(7), d(14))?;
/// let shares = time_shares(&log, &mia, &week)?;
/// assert_eq!(shares.shares[2].share.to_string(), "50%"); // administration
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn time_shares(
    entries: &[TimeEntry],
    person: &PersonId,
    period: &Period,
) -> Result<TimeShares, ActivityError> {
    let mut minutes = [0u64; 6];
    let mut total = 0u64;
    for e in entries
        .iter()
        .filter(|e| &e.person == person && period.contains(e.date))
    {
        let slot = TaskCategory::ALL
            .iter()
            .position(|c| *c == e.category)
            .and_then(|i| minutes.get_mut(i));
        if let Some(slot) = slot {
            *slot = slot
                .checked_add(u64::from(e.minutes))
                .ok_or(ActivityError::Overflow { what: "time" })?;
        }
        total = total
            .checked_add(u64::from(e.minutes))
            .ok_or(ActivityError::Overflow { what: "time" })?;
    }
    let mut shares = Vec::with_capacity(6);
    for (category, m) in TaskCategory::ALL.iter().zip(minutes) {
        shares.push(TimeShare {
            category: *category,
            minutes: m,
            share: Ratio::of_counts(m, total).map_err(overflow("time"))?,
        });
    }
    Ok(TimeShares {
        person: person.clone(),
        period: *period,
        total_minutes: total,
        shares,
    })
}
