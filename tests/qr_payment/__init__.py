"""The QR payment rehearsal, one file per idea."""
