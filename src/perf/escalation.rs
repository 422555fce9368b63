//! Escalation policy as data: consecutive misses to actions.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Ratio;
use crate::calendar::Period;
use crate::ids::PersonId;
use crate::perf::PerfError;
use crate::quota::Ramp;

/// The length of a period in a person's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PeriodKind {
    /// A week.
    Week,
    /// A month.
    Month,
    /// A quarter.
    Quarter,
    /// A year.
    Year,
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        })
    }
}

/// What a policy says should happen. The library only reports it; an
/// authority policy (see the bonus module) says who may carry it out.
///
/// In JSON a built-in action is its name (`"coaching"`,
/// `"written_warning"`, `"improvement_plan"`) and a custom one is
/// `{"custom": "its name"}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub enum Action {
    /// A coaching plan.
    Coaching,
    /// A written warning.
    WrittenWarning,
    /// A performance improvement plan.
    ImprovementPlan,
    /// An action the user defines, by name.
    Custom(String),
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Coaching => f.write_str("coaching"),
            Action::WrittenWarning => f.write_str("written warning"),
            Action::ImprovementPlan => f.write_str("performance improvement plan"),
            Action::Custom(name) => f.write_str(name),
        }
    }
}

/// `consecutive` completed periods of `kind` in a row with attainment
/// below `below` (a fraction: 0.7 for 70%) call for `action`.
///
/// # JSON
///
/// Every field is required and validated as by [`EscalationRule::new`]
/// (a threshold above zero, a count of at least one); unknown fields are
/// refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::perf::{Action, EscalationRule, PeriodKind};
///
/// let rule: EscalationRule = serde_json::from_str(
///     r#"{"kind": "month", "below": "0.7", "consecutive": 2, "action": "coaching"}"#,
/// )?;
/// assert_eq!((rule.kind(), rule.consecutive()), (PeriodKind::Month, 2));
/// assert_eq!(rule.action(), &Action::Coaching);
/// // A count of zero is refused, as by `EscalationRule::new`.
/// let zero = r#"{"kind": "month", "below": "0.7", "consecutive": 0, "action": "coaching"}"#;
/// assert!(serde_json::from_str::<EscalationRule>(zero).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawRule"))]
pub struct EscalationRule {
    kind: PeriodKind,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    below: Decimal,
    consecutive: u32,
    action: Action,
}

crate::validated::via_raw! {
    RawRule => EscalationRule, PerfError {
        kind: PeriodKind,
        #[serde(with = "crate::money::dec")]
        below: Decimal,
        consecutive: u32,
        action: Action,
    }
}

impl EscalationRule {
    /// A rule.
    ///
    /// # Errors
    ///
    /// [`PerfError::InvalidRule`] for a threshold of zero or less or a
    /// count of zero.
    pub fn new(
        kind: PeriodKind,
        below: Decimal,
        consecutive: u32,
        action: Action,
    ) -> Result<EscalationRule, PerfError> {
        if below <= Decimal::ZERO || consecutive == 0 {
            return Err(PerfError::InvalidRule { below, consecutive });
        }
        Ok(EscalationRule {
            kind,
            below,
            consecutive,
            action,
        })
    }

    /// The period kind it counts.
    pub const fn kind(&self) -> PeriodKind {
        self.kind
    }

    /// The threshold (a fraction).
    pub const fn below(&self) -> Decimal {
        self.below
    }

    /// How many misses in a row.
    pub const fn consecutive(&self) -> u32 {
        self.consecutive
    }

    /// The action.
    pub const fn action(&self) -> &Action {
        &self.action
    }
}

/// One completed period of a person's history: its kind, dates and
/// attainment.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::perf::{PeriodKind, PeriodResult};
///
/// let month: PeriodResult = serde_json::from_str(r#"{
///     "kind": "month",
///     "period": {"start": "2025-02-01", "end": "2025-03-01"},
///     "attainment": {"value": "0.6"}
/// }"#)?;
/// assert_eq!(month.kind, PeriodKind::Month);
/// assert_eq!(month.attainment.to_string(), "60%");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PeriodResult {
    /// Month, quarter, ...
    pub kind: PeriodKind,
    /// The period.
    pub period: Period,
    /// Attainment in it.
    pub attainment: Ratio,
}

/// A period and its figure, as a reason for an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Figure {
    /// The period.
    pub period: Period,
    /// Its attainment.
    pub attainment: Ratio,
}

/// An action a policy says is due, with its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ActionDue {
    /// Who.
    pub person: PersonId,
    /// As of when.
    pub as_of: NaiveDate,
    /// What.
    pub action: Action,
    /// The index of the rule in the policy.
    pub rule: usize,
    /// The rule's period kind.
    pub kind: PeriodKind,
    /// The rule's threshold (a fraction).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub below: Decimal,
    /// The periods that triggered it (the most recent `consecutive` misses,
    /// oldest first) and their attainment.
    #[cfg_attr(feature = "serde", serde(default))]
    pub periods: Vec<Figure>,
}

impl fmt::Display for ActionDue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let below = self
            .below
            .checked_mul(Decimal::ONE_HUNDRED)
            .map_or(self.below, |p| p.normalize());
        write!(
            f,
            "{} for {} as of {}: {} {}s in a row below {}% (",
            self.action,
            self.person,
            self.as_of,
            self.periods.len(),
            self.kind,
            below
        )?;
        for (i, p) in self.periods.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}: {}", p.period.start().format("%Y-%m"), p.attainment)?;
        }
        f.write_str(")")
    }
}

/// Rules from consecutive misses to actions, evaluated over a person's
/// history as of a date.
///
/// Semantics:
///
/// - only periods completed by `as_of` (last day on or before it) count;
/// - a miss is attainment strictly below the rule's threshold; a period
///   without a target is not a miss;
/// - the run counts back from the most recent completed period of the
///   rule's kind; it stops at a period that is not a miss (a recovery
///   resets the counter), at a gap (periods must be back to back), and at a
///   period the person was ramping in, when ramping is exempt (the
///   default);
/// - a rule fires when the run is at least its count; of rules with the
///   same kind and threshold (a ladder: 2 months → coaching, 3 → warning),
///   only the highest rung that fires is reported.
///
/// # JSON
///
/// `rules` (each validated as an [`EscalationRule`]) defaults to none and
/// `exempt_ramp` to `true`, as [`EscalationPolicy::new`]; unknown fields
/// are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::perf::{Action, EscalationPolicy, EscalationRule, PeriodKind};
///
/// let policy: EscalationPolicy = serde_json::from_str(r#"{"rules": [
///     {"kind": "month", "below": "0.7", "consecutive": 2, "action": "coaching"},
///     {"kind": "quarter", "below": "0.6", "consecutive": 2, "action": {"custom": "territory review"}}
/// ]}"#)?;
/// let seventy = "0.7".parse()?;
/// let sixty = "0.6".parse()?;
/// let review = Action::Custom("territory review".into());
/// let built = EscalationPolicy::new()
///     .rule(EscalationRule::new(PeriodKind::Month, seventy, 2, Action::Coaching)?)
///     .rule(EscalationRule::new(PeriodKind::Quarter, sixty, 2, review)?);
/// assert_eq!(policy, built); // ramping exempt, as by default
/// // A misspelled field is refused, by name.
/// let err = serde_json::from_str::<EscalationPolicy>(r#"{"rules": [], "exempt_ramps": false}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `exempt_ramps`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct EscalationPolicy {
    rules: Vec<EscalationRule>,
    exempt_ramp: bool,
}

impl Default for EscalationPolicy {
    fn default() -> EscalationPolicy {
        EscalationPolicy::new()
    }
}

impl EscalationPolicy {
    /// No rules; ramping exempt.
    pub fn new() -> EscalationPolicy {
        EscalationPolicy {
            rules: Vec::new(),
            exempt_ramp: true,
        }
    }

    /// The usual ladder: 2 consecutive months below 70% → coaching, 3 →
    /// written warning; 2 consecutive quarters below 60% → improvement
    /// plan.
    pub fn standard() -> EscalationPolicy {
        let pct = |p: i64| Decimal::try_new(p, 2).unwrap_or(Decimal::ONE);
        let rules = [
            (PeriodKind::Month, pct(70), 2, Action::Coaching),
            (PeriodKind::Month, pct(70), 3, Action::WrittenWarning),
            (PeriodKind::Quarter, pct(60), 2, Action::ImprovementPlan),
        ];
        EscalationPolicy {
            rules: rules
                .into_iter()
                .map(|(kind, below, consecutive, action)| EscalationRule {
                    kind,
                    below,
                    consecutive,
                    action,
                })
                .collect(),
            exempt_ramp: true,
        }
    }

    /// Adds a rule.
    ///
    /// # Examples
    ///
    /// A policy of one's own: coaching after a single quarter below 80%.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::perf::{Action, EscalationPolicy, EscalationRule, PeriodKind, PeriodResult, Ratio};
    /// use salesplan::{Period, PersonId};
    ///
    /// let rule = EscalationRule::new(PeriodKind::Quarter, Decimal::new(80, 2), 1, Action::Coaching)?;
    /// let policy = EscalationPolicy::new().rule(rule);
    /// let q1 = PeriodResult {
    ///     kind: PeriodKind::Quarter,
    ///     period: Period::new(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2025, 4, 1).unwrap())?,
    ///     attainment: Ratio::Value(Decimal::new(79, 2)),
    /// };
    /// let as_of = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
    /// let due = policy.evaluate(&PersonId::new("ana")?, &[q1], as_of, None)?;
    /// assert_eq!(due.len(), 1);
    /// assert_eq!(due[0].action, Action::Coaching);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn rule(mut self, rule: EscalationRule) -> EscalationPolicy {
        self.rules.push(rule);
        self
    }

    /// Whether periods a new hire spends ramping are exempt (default yes).
    #[must_use]
    pub fn exempt_ramp(mut self, exempt: bool) -> EscalationPolicy {
        self.exempt_ramp = exempt;
        self
    }

    /// The rules.
    pub fn rules(&self) -> &[EscalationRule] {
        &self.rules
    }

    /// The actions due for `person` as of `as_of` from their `history`
    /// (any order), with `ramp` the ramp and hire date of a new hire.
    /// Sorted by rule index.
    ///
    /// # Errors
    ///
    /// [`PerfError::HistoryOverlap`] for two periods of one kind that
    /// overlap; [`PerfError::Overflow`] for a ramp end beyond `chrono`'s
    /// range.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::perf::{Action, EscalationPolicy, PeriodKind, PeriodResult, Ratio};
    /// use salesplan::{Period, PersonId};
    ///
    /// let month = |m, pct: i64| PeriodResult {
    ///     kind: PeriodKind::Month,
    ///     period: Period::month(2025, m).unwrap(),
    ///     attainment: Ratio::Value(Decimal::new(pct, 2)),
    /// };
    /// let history = [month(1, 95), month(2, 60), month(3, 65)];
    /// let ana = PersonId::new("ana")?;
    /// let as_of = NaiveDate::from_ymd_opt(2025, 4, 2).unwrap();
    /// let due = EscalationPolicy::standard().evaluate(&ana, &history, as_of, None)?;
    /// assert_eq!(due.len(), 1);
    /// assert_eq!(due[0].action, Action::Coaching);
    /// assert_eq!(
    ///     due[0].to_string(),
    ///     "coaching for ana as of 2025-04-02: 2 months in a row below 70% (2025-02: 60%, 2025-03: 65%)"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(
        &self,
        person: &PersonId,
        history: &[PeriodResult],
        as_of: NaiveDate,
        ramp: Option<(&Ramp, NaiveDate)>,
    ) -> Result<Vec<ActionDue>, PerfError> {
        let ramp_last = match ramp {
            Some((r, hired)) if self.exempt_ramp => Some((
                hired,
                r.ends(hired)
                    .map_err(|_| PerfError::Overflow { what: "ramp" })?,
            )),
            _ => None,
        };
        let mut fired: Vec<(usize, &EscalationRule, Vec<Figure>)> = Vec::new();
        let mut kinds: Vec<PeriodKind> = self.rules.iter().map(|r| r.kind).collect();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            let periods = closed_periods(history, kind, as_of)?;
            for (i, rule) in self
                .rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.kind == kind)
            {
                if let Some(run) = rule.trailing_misses(&periods, ramp_last) {
                    fired.push((i, rule, run));
                }
            }
        }
        // Of a ladder (same kind and threshold), the highest rung only.
        let mut out: Vec<ActionDue> = Vec::new();
        for (i, rule, periods) in &fired {
            let superseded = fired.iter().any(|(_, other, _)| {
                other.kind == rule.kind
                    && other.below == rule.below
                    && other.consecutive > rule.consecutive
            });
            if !superseded {
                out.push(ActionDue {
                    person: person.clone(),
                    as_of,
                    action: rule.action.clone(),
                    rule: *i,
                    kind: rule.kind,
                    below: rule.below,
                    periods: periods.clone(),
                });
            }
        }
        out.sort_by_key(|a| a.rule);
        Ok(out)
    }
}

/// The periods of `kind` in `history` over by `as_of`, in order, refusing
/// two that overlap.
fn closed_periods(
    history: &[PeriodResult],
    kind: PeriodKind,
    as_of: NaiveDate,
) -> Result<Vec<&PeriodResult>, PerfError> {
    let mut periods: Vec<&PeriodResult> = history
        .iter()
        .filter(|h| h.kind == kind && h.period.last_day() <= as_of)
        .collect();
    periods.sort_by_key(|h| h.period);
    for w in periods.windows(2) {
        if let [a, b] = w
            && a.period.overlaps(&b.period)
        {
            return Err(PerfError::HistoryOverlap {
                first: a.period,
                second: b.period,
            });
        }
    }
    Ok(periods)
}

impl EscalationRule {
    /// The last `consecutive` of `periods` (in order) when each is a miss,
    /// adjacent to the next and not exempt as ramp time (`ramp_last`: the
    /// hire date and the ramp's last day); `None` when the run is shorter.
    fn trailing_misses(
        &self,
        periods: &[&PeriodResult],
        ramp_last: Option<(NaiveDate, Option<NaiveDate>)>,
    ) -> Option<Vec<Figure>> {
        let mut run: Vec<Figure> = Vec::new();
        let mut next_start: Option<NaiveDate> = None;
        for h in periods.iter().rev() {
            let adjacent = next_start.is_none_or(|s| s == h.period.end());
            let exempt = ramp_last.is_some_and(|(hired, last)| {
                h.period.start() < hired || last.is_some_and(|l| l >= h.period.start())
            });
            let miss = h.attainment.value().is_some_and(|v| v < self.below);
            if !adjacent || exempt || !miss {
                break;
            }
            run.push(Figure {
                period: h.period,
                attainment: h.attainment,
            });
            next_start = Some(h.period.start());
        }
        let count = usize::try_from(self.consecutive).unwrap_or(usize::MAX);
        if run.len() < count {
            return None;
        }
        run.truncate(count);
        run.reverse();
        Some(run)
    }
}
