"""The scope catalogue and what makes a grant or a policy risky."""
