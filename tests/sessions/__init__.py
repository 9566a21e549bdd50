"""Course sessions on the web, one file per idea."""
