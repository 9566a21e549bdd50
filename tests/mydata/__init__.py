"""Personal data, one file per idea."""
