"""Practical assignments: learners' submissions and trainers' reviews, which become competence evidence."""
