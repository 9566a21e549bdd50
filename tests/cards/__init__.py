"""Learner cards, one file per idea."""
