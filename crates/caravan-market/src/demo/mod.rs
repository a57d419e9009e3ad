//! Demo data (see generate).
