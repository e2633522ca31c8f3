"""Competency framework, evidence, levels, profiles, self-assessment and interoperability."""
