"""The advisory domain's services: cases (cases.py), who may see what (access.py), meetings and their calendar
files (meetings.py), answer templates (templates.py), anonymising text (anonymise.py), knowledge-base candidates
(candidates.py) and what the indicators count (counting.py)."""
