"""The red_flag practice type, one file per idea."""
