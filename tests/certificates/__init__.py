"""Certificates, one file per idea."""
