"""Product catalog: one import cycle of each kind asyncdoc reports (AD301-AD304)."""
