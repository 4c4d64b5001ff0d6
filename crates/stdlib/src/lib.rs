//! Native standard-library modules (math, time, ...).
