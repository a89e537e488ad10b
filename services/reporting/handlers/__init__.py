"""What the reporting service does with events: the batch consumer and the rebuild."""
