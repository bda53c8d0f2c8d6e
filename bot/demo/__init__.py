"""A demo team for a first look, loaded from team.yaml."""
