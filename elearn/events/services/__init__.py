"""The events domain's logic, split by concept: scheduling (events), registration, attendance, assessment,
evaluation, calendar files, the attendance-list PDF and counting for indicators."""
