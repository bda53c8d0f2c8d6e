"""SalesCoach: a coaching assistant for B2B key-account sales reps."""
