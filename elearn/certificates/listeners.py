"""Signal receivers: the certificates domain listens to course and account events."""
