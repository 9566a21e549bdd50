"""The phone_call practice type, one file per idea."""
