"""The demo log-ins printed by make run (no Django import: the runner prints them before setup)."""

DEMO_PASSWORD = "siris-demo-2026"

LOGINS = [
    ("admin", "administrator (whole company)"),
    ("qse", "QSE manager (whole company)"),
    ("qse.lyon", "QSE manager (Lyon site)"),
    ("dir.lyon", "manager (Lyon site director)"),
    ("chef.fusion", "manager (Fusion work unit)"),
    ("nathan.girard", "staff (Fusion work unit)"),
    ("auditeur", "auditor (Lyon site, 14 days)"),
]
