"""Pure coaching rules: the decision-unit checklist before a visit, feedback after it."""
