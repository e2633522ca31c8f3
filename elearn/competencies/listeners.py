"""Signal receivers: the competency domain listens to course events."""
