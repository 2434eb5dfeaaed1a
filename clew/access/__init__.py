"""Who may see what, and the record of what they saw: accounts, per-case grants, handling
markings against clearance, the Scope every data request runs under, and the audit trail."""
