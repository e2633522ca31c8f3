"""Certificate eligibility, register, PDF, verification, revocation, badges and bulk issuance."""
