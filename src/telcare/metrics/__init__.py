"""Campaign-effect metrics: rates with intervals, experiments, value, staffing."""
