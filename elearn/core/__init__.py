"""What every domain uses: audit log, Markdown, security, jobs, mail, templates, error pages."""
