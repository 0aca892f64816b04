"""Demo shop application package."""
