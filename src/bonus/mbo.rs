//! MBO scorecards: weighted objectives giving a bonus percentage.

use std::fmt;

use crate::bonus::BonusError;
use crate::money::{Money, Percent, Rate, RoundingPolicy, add, mul};

/// One objective of a [`Scorecard`]: a name, a weight, and the most its
/// score may count (100% unless raised).
///
/// In JSON, `{"name": "pipeline", "weight": "50%", "cap": "120%"}`, `cap`
/// optional (100%).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Objective {
    name: String,
    weight: Percent,
    #[cfg_attr(feature = "serde", serde(default = "full"))]
    cap: Rate,
}

#[cfg(feature = "serde")]
const fn full() -> Rate {
    Rate::ONE
}

impl Objective {
    /// An objective weighing `weight` of the scorecard, scored up to 100%.
    pub fn new(name: impl Into<String>, weight: Percent) -> Objective {
        Objective {
            name: name.into(),
            weight,
            cap: Rate::ONE,
        }
    }

    /// Lets the score count up to `cap` (above 100% for over-achievement).
    #[must_use]
    pub const fn cap(mut self, cap: Rate) -> Self {
        self.cap = cap;
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The weight.
    pub const fn weight(&self) -> Percent {
        self.weight
    }

    /// The most a score counts.
    pub const fn score_cap(&self) -> Rate {
        self.cap
    }
}

/// An MBO scorecard: objectives whose weights add up to exactly 100%.
/// Each is scored (0% and up); a score counts up to its objective's cap;
/// the bonus percentage is the weighted sum of the counted scores, exact.
///
/// ```
/// use salesplan::bonus::{Objective, Scorecard};
/// use salesplan::{Currency, Money, Percent, Rate, RoundingPolicy};
///
/// let w = |s: &str| s.parse::<Percent>().unwrap();
/// let r = |s: &str| s.parse::<Rate>().unwrap();
/// let card = Scorecard::new([
///     Objective::new("pipeline", w("50%")).cap(r("120%")),
///     Objective::new("hiring", w("30%")),
///     Objective::new("forecast accuracy", w("20%")),
/// ])?;
/// let result = card.evaluate(&[("pipeline", r("130%")), ("hiring", r("50%")), ("forecast accuracy", r("100%"))])?;
/// assert_eq!(result.percent().to_string(), "95%"); // 50%×120% + 30%×50% + 20%×100%
/// let bonus = result.bonus(Money::parse("8000", Currency::EUR)?, RoundingPolicy::HalfEven)?;
/// assert_eq!(bonus.to_string(), "7600.00 EUR");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, the list of objectives, checked as by [`Scorecard::new`]
/// (weights adding up to exactly 100%, names unique):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::bonus::Scorecard;
/// let card: Scorecard = serde_json::from_str(r#"[
///     {"name": "pipeline", "weight": "50%", "cap": "120%"},
///     {"name": "hiring", "weight": "30%"},
///     {"name": "forecast accuracy", "weight": "20%"}
/// ]"#)?;
/// assert_eq!(card.objectives()[1].name(), "hiring");
/// // An unknown field is refused, naming it; so are weights short of 100%.
/// let err = serde_json::from_str::<Scorecard>(r#"[{"name": "pipeline", "weight": "100%", "cpa": "120%"}]"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `cpa`"));
/// let err = serde_json::from_str::<Scorecard>(r#"[{"name": "pipeline", "weight": "90%"}]"#).unwrap_err();
/// assert!(err.to_string().contains("add up to 0.9"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<Objective>"))]
#[cfg_attr(feature = "serde", serde(into = "Vec<Objective>"))]
pub struct Scorecard {
    objectives: Vec<Objective>,
}

impl Scorecard {
    /// A scorecard of `objectives`, kept sorted by name.
    ///
    /// # Errors
    ///
    /// [`BonusError::EmptyScorecard`] without objectives;
    /// [`BonusError::DuplicateObjective`] for two objectives with one name;
    /// [`BonusError::WeightsNotWhole`] unless the weights add up to exactly
    /// 100%.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::bonus::{Objective, Scorecard};
    /// use salesplan::{BonusError, Percent};
    ///
    /// let w = |s: &str| s.parse::<Percent>().unwrap();
    /// let card = Scorecard::new([Objective::new("pipeline", w("60%")), Objective::new("hiring", w("40%"))])?;
    /// assert_eq!(card.objectives()[0].name(), "hiring"); // kept by name
    /// let short = Scorecard::new([Objective::new("pipeline", w("60%"))]).unwrap_err();
    /// assert!(matches!(short, BonusError::WeightsNotWhole { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(objectives: impl IntoIterator<Item = Objective>) -> Result<Scorecard, BonusError> {
        let mut objectives: Vec<Objective> = objectives.into_iter().collect();
        if objectives.is_empty() {
            return Err(BonusError::EmptyScorecard);
        }
        objectives.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some([a, _]) = objectives
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.name == b.name))
        {
            return Err(BonusError::DuplicateObjective {
                name: a.name.clone(),
            });
        }
        let sum = objectives
            .iter()
            .try_fold(rust_decimal::Decimal::ZERO, |s, o| {
                add(s, o.weight.fraction())
            })
            .map_err(|source| BonusError::Arithmetic { source })?;
        if sum != rust_decimal::Decimal::ONE {
            return Err(BonusError::WeightsNotWhole { sum });
        }
        Ok(Scorecard { objectives })
    }

    /// The objectives, by name.
    pub fn objectives(&self) -> &[Objective] {
        &self.objectives
    }

    /// Scores the card: one score per objective, by name, in any order.
    ///
    /// # Errors
    ///
    /// [`BonusError::MissingScore`] for an objective without a score;
    /// [`BonusError::UnknownObjective`] for a score of no objective;
    /// [`BonusError::DuplicateObjective`] for an objective scored twice.
    ///
    /// # Examples
    ///
    /// Pipeline may count up to 120%; hiring at most 100%:
    ///
    /// ```
    /// use salesplan::bonus::{Objective, Scorecard};
    /// use salesplan::{Percent, Rate};
    ///
    /// let w = |s: &str| s.parse::<Percent>().unwrap();
    /// let r = |s: &str| s.parse::<Rate>().unwrap();
    /// let card = Scorecard::new([
    ///     Objective::new("pipeline", w("60%")).cap(r("120%")),
    ///     Objective::new("hiring", w("40%")),
    /// ])?;
    /// let result = card.evaluate(&[("pipeline", r("150%")), ("hiring", r("110%"))])?;
    /// assert_eq!(result.percent().to_string(), "112%"); // 60% x 120% + 40% x 100%
    /// assert!(card.evaluate(&[("pipeline", r("90%"))]).is_err()); // hiring not scored
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate<S: AsRef<str>>(&self, scores: &[(S, Rate)]) -> Result<MboResult, BonusError> {
        let mut given: Vec<(&str, Rate)> = scores.iter().map(|(n, r)| (n.as_ref(), *r)).collect();
        given.sort_by(|a, b| a.0.cmp(b.0));
        if let Some([(a, _), _]) = given.windows(2).find(|w| matches!(w, [a, b] if a.0 == b.0)) {
            return Err(BonusError::DuplicateObjective {
                name: (*a).to_owned(),
            });
        }
        if let Some((name, _)) = given.iter().find(|(n, _)| {
            self.objectives
                .binary_search_by(|o| o.name.as_str().cmp(n))
                .is_err()
        }) {
            return Err(BonusError::UnknownObjective {
                name: (*name).to_owned(),
            });
        }
        let mut lines = Vec::with_capacity(self.objectives.len());
        let mut total = rust_decimal::Decimal::ZERO;
        for objective in &self.objectives {
            let score = given
                .binary_search_by(|(n, _)| (*n).cmp(objective.name.as_str()))
                .ok()
                .and_then(|i| given.get(i))
                .map(|(_, s)| *s)
                .ok_or_else(|| BonusError::MissingScore {
                    name: objective.name.clone(),
                })?;
            let counted = score.min(objective.cap);
            let contribution = mul(objective.weight.fraction(), counted.fraction())
                .map_err(|source| BonusError::Arithmetic { source })?;
            total = add(total, contribution).map_err(|source| BonusError::Arithmetic { source })?;
            lines.push(ObjectiveScore {
                objective: objective.clone(),
                score,
                counted,
                contribution: Rate::new(contribution.normalize())
                    .map_err(|source| BonusError::Arithmetic { source })?,
            });
        }
        Ok(MboResult {
            lines,
            percent: Rate::new(total.normalize())
                .map_err(|source| BonusError::Arithmetic { source })?,
        })
    }
}

impl TryFrom<Vec<Objective>> for Scorecard {
    type Error = BonusError;
    fn try_from(objectives: Vec<Objective>) -> Result<Scorecard, BonusError> {
        Scorecard::new(objectives)
    }
}

impl From<Scorecard> for Vec<Objective> {
    fn from(card: Scorecard) -> Vec<Objective> {
        card.objectives
    }
}

/// One objective's line on a scored card.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ObjectiveScore {
    objective: Objective,
    score: Rate,
    counted: Rate,
    contribution: Rate,
}

impl ObjectiveScore {
    /// The objective.
    pub const fn objective(&self) -> &Objective {
        &self.objective
    }

    /// The score given.
    pub const fn score(&self) -> Rate {
        self.score
    }

    /// The score counted (capped).
    pub const fn counted(&self) -> Rate {
        self.counted
    }

    /// Weight × counted score.
    pub const fn contribution(&self) -> Rate {
        self.contribution
    }
}

impl fmt::Display for ObjectiveScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: scored {}", self.objective.name, self.score)?;
        if self.counted != self.score {
            write!(f, ", counted {} (cap)", self.counted)?;
        }
        write!(
            f,
            " x weight {} = {}",
            self.objective.weight, self.contribution
        )
    }
}

/// A scored card: each objective's line and the bonus percentage.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct MboResult {
    lines: Vec<ObjectiveScore>,
    percent: Rate,
}

impl MboResult {
    /// Each objective's line, by name.
    pub fn lines(&self) -> &[ObjectiveScore] {
        &self.lines
    }

    /// The bonus percentage: the weighted sum of the counted scores.
    pub const fn percent(&self) -> Rate {
        self.percent
    }

    /// `target × percentage`, rounded once to minor units with `policy`.
    ///
    /// # Errors
    ///
    /// [`BonusError::Arithmetic`] on overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::bonus::{Objective, Scorecard};
    /// use salesplan::{Currency, Money, Percent, Rate, RoundingPolicy};
    ///
    /// let w = |s: &str| s.parse::<Percent>().unwrap();
    /// let r = |s: &str| s.parse::<Rate>().unwrap();
    /// let card = Scorecard::new([Objective::new("pipeline", w("50%")), Objective::new("hiring", w("50%"))])?;
    /// let result = card.evaluate(&[("pipeline", r("80%")), ("hiring", r("66.667%"))])?;
    /// let target = Money::parse("5000.00", Currency::USD)?;
    /// assert_eq!(result.bonus(target, RoundingPolicy::HalfAwayFromZero)?.to_string(), "3666.68 USD");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bonus(&self, target: Money, policy: RoundingPolicy) -> Result<Money, BonusError> {
        self.percent
            .of_rounded(target, policy)
            .map_err(|source| BonusError::Arithmetic { source })
    }
}

impl fmt::Display for MboResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "  {line}")?;
        }
        write!(f, "  bonus percentage {}", self.percent)?;
        Ok(())
    }
}
