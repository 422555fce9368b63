//! Performance evaluation: attainment, pacing, status bands, ranking, escalation and team progress.
