//! Bonuses (payout curves, team pools, MBO scorecards, contests, discretionary bonuses) and authority.
