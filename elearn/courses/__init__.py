"""Courses, modules, lessons, quizzes, enrolment, progress, authoring and content sync."""
