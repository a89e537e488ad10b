"""MongoDB adapters of the reporting service."""
